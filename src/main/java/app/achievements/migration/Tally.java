package app.achievements.migration;

import app.achievements.migration.MigrationResult.Problem;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bson.BsonDocument;
import org.bson.BsonValue;

/**
 * The counts of a run in progress; {@link #result} freezes them. Thread-safe: the page reader
 * counts what it converts while the writer counts what it writes.
 */
final class Tally {

  /** Rejects are many and alike; failures and conflicts each deserve their line. */
  static final int MAX_REJECTED_SHOWN = 20;

  static final int MAX_FAILED_SHOWN = 100;

  private long eligible;
  private long migrated;
  private long conflicts;
  private long failed;
  private long skipped;
  private final Map<RejectReason, Long> rejected = new EnumMap<>(RejectReason.class);
  private final Map<Note, Long> notes = new EnumMap<>(Note.class);
  private final Map<Outcome, List<Problem>> problems = new EnumMap<>(Outcome.class);
  private final ReportSink report;

  Tally(ReportSink report) {
    this.report = report;
  }

  synchronized void rejected(BsonDocument user, RejectReason reason) {
    rejected.merge(reason, 1L, Long::sum);
    problem(user.get(Fields.ID), Outcome.REJECTED, reason.name());
    report.add(ReportRow.of(user, Outcome.REJECTED.code(), reason.name(), Set.of()));
  }

  /** Counts a batch's migrated users at once: writers share the tally. */
  synchronized void migrated(List<PlannedWrite> writes) {
    migrated += writes.size();
    for (PlannedWrite write : writes) {
      if (!write.notes().isEmpty()) {
        write.notes().forEach(note -> notes.merge(note, 1L, Long::sum));
        report.add(ReportRow.of(write.read(), Outcome.MIGRATED.code(), null, write.notes()));
      }
    }
  }

  synchronized void failed(BatchResult.Failure failure) {
    failed++;
    problem(failure.write().id(), Outcome.FAILED, failure.describe());
    report.add(
        ReportRow.of(
            failure.write().read(),
            Outcome.FAILED.code(),
            failure.code(),
            failure.write().notes()));
  }

  synchronized void conflict(PlannedWrite write) {
    conflicts++;
    problem(
        write.id(), Outcome.CONFLICT, "changed by the application between read and write, twice");
    report.add(ReportRow.of(write.read(), Outcome.CONFLICT.code(), null, write.notes()));
  }

  synchronized void eligible(int count) {
    eligible += count;
  }

  synchronized void skipped() {
    skipped++;
  }

  synchronized long failedCount() {
    return failed;
  }

  synchronized long migratedCount() {
    return migrated;
  }

  private void problem(BsonValue id, Outcome outcome, String detail) {
    List<Problem> kept = problems.computeIfAbsent(outcome, o -> new ArrayList<>());
    int max = outcome == Outcome.REJECTED ? MAX_REJECTED_SHOWN : MAX_FAILED_SHOWN;
    if (kept.size() < max) {
      kept.add(new Problem(Json.relaxed(id), outcome, detail));
    }
  }

  synchronized MigrationResult result(boolean dryRun, Instant runStart, Duration duration) {
    return result(MigrationResult.Status.COMPLETED, dryRun, runStart, duration);
  }

  /** The counts of a run that an error stopped: some users were in flight. */
  synchronized MigrationResult stoppedResult(boolean dryRun, Instant runStart, Duration duration) {
    return result(MigrationResult.Status.STOPPED, dryRun, runStart, duration);
  }

  private MigrationResult result(
      MigrationResult.Status status, boolean dryRun, Instant runStart, Duration duration) {
    return new MigrationResult(
        status,
        dryRun,
        eligible,
        migrated,
        rejected,
        conflicts,
        failed,
        skipped,
        notes,
        runStart,
        duration,
        problems.values().stream().flatMap(List::stream).toList());
  }
}
