package app.achievements.store;

import java.util.ArrayList;
import java.util.List;

/**
 * What became of one bulk write, of migration or of rollback: the writes the server applied, the
 * ones that conflicted (the application changed the user after it was read) and the ones the server
 * refused.
 */
public record BatchResult(
    List<PlannedWrite> applied, List<PlannedWrite> conflicts, List<Failure> failures) {
  public BatchResult {
    applied = List.copyOf(applied);
    conflicts = List.copyOf(conflicts);
    failures = List.copyOf(failures);
  }

  /** This result with {@code more} failures first. */
  BatchResult withFailures(List<Failure> more) {
    if (more.isEmpty()) {
      return this;
    }
    List<Failure> all = new ArrayList<>(more);
    all.addAll(failures);
    return new BatchResult(applied, conflicts, all);
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
