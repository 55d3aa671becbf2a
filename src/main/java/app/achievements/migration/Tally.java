package app.achievements.migration;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.bson.BsonValue;

/** The counts of a run in progress; {@link #result} freezes them. */
final class Tally {

  static final int MAX_PROBLEMS = 20;

  long eligible;
  private long migrated;
  long conflicts;
  long failed;
  long skipped;
  private final Map<RejectReason, Long> rejected = new EnumMap<>(RejectReason.class);
  private final Map<Note, Long> notes = new EnumMap<>(Note.class);
  private final List<MigrationResult.Problem> problems = new ArrayList<>();

  void rejected(BsonValue id, RejectReason reason) {
    rejected.merge(reason, 1L, Long::sum);
    problem(id, "rejected", reason.name());
  }

  void migrated(PlannedWrite write) {
    migrated++;
    write.notes().forEach(note -> notes.merge(note, 1L, Long::sum));
  }

  void failed(BsonValue id, String error) {
    failed++;
    problem(id, "failed", error);
  }

  void conflict(BsonValue id) {
    conflicts++;
    problem(id, "conflict", "changed by the application between read and write, twice");
  }

  long migratedCount() {
    return migrated;
  }

  long rejectedCount() {
    return rejected.values().stream().mapToLong(Long::longValue).sum();
  }

  private void problem(BsonValue id, String outcome, String detail) {
    if (problems.size() < MAX_PROBLEMS) {
      problems.add(new MigrationResult.Problem(Json.relaxed(id), outcome, detail));
    }
  }

  MigrationResult result(boolean dryRun, Instant runStart, Duration duration) {
    return result(MigrationResult.Status.COMPLETED, dryRun, runStart, duration);
  }

  /** The counts of a run that an error stopped: some users were in flight. */
  MigrationResult stoppedResult(boolean dryRun, Instant runStart, Duration duration) {
    return result(MigrationResult.Status.STOPPED, dryRun, runStart, duration);
  }

  private MigrationResult result(
      MigrationResult.Status status, boolean dryRun, Instant runStart, Duration duration) {
    return new MigrationResult(
        status, dryRun, eligible, migrated, rejected, conflicts, failed, skipped, notes, runStart,
        duration, problems);
  }
}
