package app.achievements.run;

import app.achievements.rules.Fields;
import app.achievements.rules.Json;
import app.achievements.rules.Note;
import app.achievements.rules.RejectReason;
import app.achievements.run.MigrationResult.Problem;
import app.achievements.store.BatchResult;
import app.achievements.store.PlannedWrite;
import app.achievements.store.RunStatus;
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
 * counts the pages it hands over while the writers count what they write.
 *
 * <p>Every eligible user is counted once when its page is handed over, and is given exactly one
 * outcome: rejected then, or later migrated, conflicting, failed, skipped, or unfinished when the
 * run stops first.
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
  private long unfinished;
  private final Map<RejectReason, Long> rejected = new EnumMap<>(RejectReason.class);
  private final Map<Note, Long> notes = new EnumMap<>(Note.class);
  private final Map<Outcome, List<Problem>> problems = new EnumMap<>(Outcome.class);
  private final ReportSink report;

  Tally(ReportSink report) {
    this.report = report;
  }

  /** A page handed over to the writers: its eligible users, and the rejected among them. */
  synchronized void accept(PageReader.Converted page) {
    eligible += page.eligible();
    page.rejected().forEach(r -> rejected(r.user(), r.reason()));
  }

  synchronized void rejected(BsonDocument user, RejectReason reason) {
    rejected.merge(reason, 1L, Long::sum);
    problem(user.get(Fields.ID), Outcome.REJECTED, reason.name());
    row(user, Outcome.REJECTED, reason.name(), Set.of());
  }

  /** Counts a batch's migrated users at once: writers share the tally. */
  synchronized void migrated(List<PlannedWrite> writes) {
    migrated += writes.size();
    for (PlannedWrite write : writes) {
      if (!write.notes().isEmpty()) {
        write.notes().forEach(note -> notes.merge(note, 1L, Long::sum));
        row(write.read(), Outcome.MIGRATED, null, write.notes());
      }
    }
  }

  synchronized void failed(BatchResult.Failure failure) {
    failed++;
    problem(failure.write().id(), Outcome.FAILED, failure.describe());
    row(failure.write().read(), Outcome.FAILED, failure.code(), failure.write().notes());
  }

  synchronized void conflict(PlannedWrite write) {
    conflicts++;
    problem(
        write.id(), Outcome.CONFLICT, "changed by the application between read and write, twice");
    row(write.read(), Outcome.CONFLICT, null, write.notes());
  }

  /** Users whose write the run did not send, or does not know the outcome of, when it stopped. */
  synchronized void unfinished(List<PlannedWrite> writes) {
    unfinished += writes.size();
    for (PlannedWrite write : writes) {
      row(write.read(), Outcome.UNFINISHED, null, write.notes());
    }
  }

  /** Users that conflicted once and were not read again before the run stopped. */
  synchronized void unfinishedConflicts(List<BsonDocument> users) {
    unfinished += users.size();
    for (BsonDocument user : users) {
      row(user, Outcome.UNFINISHED, null, Set.of());
    }
  }

  /** The report's row for {@code user}, built only when the report keeps it. */
  private void row(BsonDocument user, Outcome outcome, String detail, Set<Note> notes) {
    if (report.keeps()) {
      report.add(ReportRow.of(user, outcome.code(), detail, notes));
    }
  }

  synchronized void skipped() {
    skipped++;
  }

  synchronized long unfinishedCount() {
    return unfinished;
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

  /** The counts of a run that ended with {@code status}; {@code failure} says why it stopped. */
  synchronized MigrationResult result(
      RunStatus status,
      boolean dryRun,
      Instant runStart,
      Duration duration,
      RuntimeException failure) {
    return new MigrationResult(
        status,
        dryRun,
        eligible,
        migrated,
        rejected,
        conflicts,
        failed,
        skipped,
        unfinished,
        notes,
        runStart,
        duration,
        problems.values().stream().flatMap(List::stream).toList(),
        failure);
  }
}
