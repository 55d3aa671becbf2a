package app.achievements.store;

import java.util.List;

/**
 * What became of one bulk write: the users it migrated, the ones that conflicted (the application
 * changed them after they were read) and the ones the server refused.
 */
public record BatchResult(
    List<PlannedWrite> migrated, List<PlannedWrite> conflicts, List<Failure> failures) {
  public BatchResult {
    migrated = List.copyOf(migrated);
    conflicts = List.copyOf(conflicts);
    failures = List.copyOf(failures);
  }

  /** This result with {@code more} failures first. */
  BatchResult withFailures(List<Failure> more) {
    if (more.isEmpty()) {
      return this;
    }
    List<Failure> all = new java.util.ArrayList<>(more);
    all.addAll(failures);
    return new BatchResult(migrated, conflicts, all);
  }

  /**
   * A write the server refused for one user: a stable {@code code} ({@code WRITE_ERROR:<server
   * code>}) and the server's message.
   */
  public record Failure(PlannedWrite write, String code, String message) {
    /** Both, as one line for people. */
    public String describe() {
      return message.isEmpty() ? code : code + " " + message;
    }
  }
}
