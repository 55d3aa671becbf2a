package app.achievements.run;

import app.achievements.rules.Fields;
import app.achievements.rules.Finding;
import app.achievements.rules.Json;
import app.achievements.rules.Verification;
import app.achievements.store.BatchResult;
import app.achievements.store.MongoRunJournal;
import app.achievements.store.PlannedWrite;
import app.achievements.store.RunStatus;
import app.achievements.store.UserStore;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.bson.BsonDocument;

/**
 * Undoes the migration: removes {@code achievements_v2} from every user whose value is exactly what
 * a run of the migration wrote, by {@link Verification}'s rule (its run-start instant among the
 * recorded ones), and keeps it (and reports it) on every other user, such as one whose v2 the
 * application has appended an unlock to, or one whose v2 the application wrote itself. Each removal
 * is guarded by the exact v2, achievements and createdAt read ({@code WriteGuard.migratedAsRead}),
 * so a user that changes in between keeps its v2 too. A second migration restores what was removed.
 */
public final class RollbackRunner {

  static final int MAX_SHOWN = 100;

  private final RunSetup setup;
  private final UserStore users;
  private final PrintWriter out;
  private final Clock clock;
  private final MigrationOptions options;
  private final Set<Instant> runStarts;
  private final ReportSink report;

  /**
   * A rollback in {@code setup}; {@code runStarts} are the start instants that real migrations
   * recorded ({@link MongoRunJournal#recordedRunStarts}).
   */
  public RollbackRunner(RunSetup setup, Set<Instant> runStarts) {
    this.setup = setup;
    this.users = setup.users();
    this.out = setup.out();
    this.clock = setup.clock();
    this.options = setup.options();
    this.runStarts = Set.copyOf(runStarts);
    this.report = new FailSafeReport(setup.report(), setup.stop());
  }

  /**
   * Runs once. Errors before the first write (the count, the prompt, a lock held by another run)
   * propagate; from the first write on, whatever stops the run is in the result, with the counts so
   * far, and the summary is printed.
   */
  public RollbackResult run() {
    return RecordedRun.run(setup, null, new Work());
  }

  /** The rollback's part in the shared sequence of a run. */
  private final class Work implements RecordedRun.Work<RollbackResult> {
    private final Counts counts = new Counts();
    private Instant started;

    @Override
    public RecordedRun.Prompt prompt() {
      return new RecordedRun.Prompt(
          "Dry run: reading and checking only; nothing will be written.",
          "migrated users",
          "Users with achievements_v2 exactly as migrated",
          "Nothing to roll back.",
          "Remove achievements_v2 from %d users in %s?");
    }

    @Override
    public long count() {
      return countMigrated();
    }

    @Override
    public RollbackResult unconfirmed(RunStatus status, long counted) {
      Counts none = new Counts();
      none.migrated = counted;
      none.unfinished = counted; // counted, not rolled back: nothing was written
      return none.result(status, Duration.ZERO, null);
    }

    @Override
    public void run(long counted) {
      started = clock.instant();
      rollBack(counts, counted);
    }

    @Override
    public RollbackResult result(RunStatus status, RuntimeException failure) {
      Duration duration =
          started == null ? Duration.ZERO : Duration.between(started, clock.instant());
      return counts.result(status, duration, failure);
    }

    @Override
    public void print(RollbackResult result) {
      RollbackRunner.this.print(result);
    }
  }

  /**
   * Removes the migration's v2 from every user whose v2 is exactly as migrated, page by page, a
   * bulk write of the pace's batch size at a time; {@code expected} is the count the operator
   * confirmed (-1: not counted).
   */
  private void rollBack(Counts counts, long expected) {
    StopSignal stop = setup.stop();
    WriteGate gate =
        new WriteGate(stop, setup.activeJournal(), setup.retry().timeout(), users.namespace());
    RunProgress progress =
        new RunProgress(
            setup.progress(),
            ProgressListener.Labels.ROLLBACK,
            expected,
            setup.pace(),
            counts,
            clock);
    try (Monitor monitor = Monitor.of("rollback", setup, progress)) {
      Iterator<List<BsonDocument>> pages =
          users.migratedPages(setup.pace().sizer()::max, options::pageBytes);
      while (setup.retry().call("reading users", pages::hasNext)) {
        stop.throwIfRequested();
        List<PlannedWrite> removals = new ArrayList<>();
        long kept = 0;
        for (BsonDocument user : pages.next()) {
          Verification.Check check = Verification.check(user, runStarts);
          if (check.finding() == Finding.MIGRATED) {
            removals.add(PlannedWrite.removal(user));
          } else if (check.finding() == Finding.MISMATCH) {
            kept++;
            counts.kept++;
            problem(counts, user, RollbackOutcome.KEPT, check.reason());
          }
        }
        counts.migrated += removals.size();
        if (options.dryRun()) {
          counts.rolledBack += removals.size();
        } else {
          remove(removals, gate, counts);
        }
        progress.add(removals.size(), kept);
      }
    } finally {
      setup.progress().done();
    }
  }

  /** Removes v2 from {@code removals}, a bulk write of the pace's size at a time, and counts it. */
  private void remove(List<PlannedWrite> removals, WriteGate gate, Counts counts) {
    for (int from = 0; from < removals.size(); ) {
      List<PlannedWrite> batch =
          removals.subList(from, Math.min(removals.size(), from + setup.pace().sizer().next()));
      BatchResult result;
      try {
        result =
            setup
                .pace()
                .write(
                    batch.size(),
                    setup.retry(),
                    "writing users",
                    () -> {
                      gate.beforeSend();
                      return users.removeV2(batch);
                    });
      } catch (RuntimeException | Error e) {
        List<PlannedWrite> left = removals.subList(from, removals.size());
        counts.unfinished += left.size();
        left.forEach(
            removal ->
                report.add(
                    ReportRow.of(
                        removal.read(), RollbackOutcome.UNFINISHED.code(), null, Set.of())));
        throw e;
      }
      counts.rolledBack += result.applied().size();
      for (PlannedWrite conflict : result.conflicts()) {
        counts.conflicts++;
        problem(
            counts, conflict.read(), RollbackOutcome.CONFLICT, "changed between read and write");
      }
      for (BatchResult.Failure failure : result.failures()) {
        counts.failed++;
        problem(counts, failure.write().read(), RollbackOutcome.FAILED, failure.code());
      }
      from += batch.size();
    }
  }

  private long countMigrated() {
    long migrated = 0;
    Iterator<List<BsonDocument>> pages =
        users.migratedPages(options::batchSize, options::pageBytes);
    while (setup.retry().call("counting users", pages::hasNext)) {
      setup.stop().throwIfRequested();
      migrated +=
          pages.next().stream()
              .filter(user -> Verification.check(user, runStarts).finding() == Finding.MIGRATED)
              .count();
    }
    return migrated;
  }

  private void problem(Counts counts, BsonDocument user, RollbackOutcome outcome, String reason) {
    report.add(ReportRow.of(user, outcome.code(), reason, Set.of()));
    if (counts.problems.size() < MAX_SHOWN) {
      counts.problems.add(
          new RollbackResult.Problem(Json.relaxed(user.get(Fields.ID)), outcome, reason));
    }
  }

  /**
   * The counts of a rollback in progress: one thread reads and writes them, the monitor reads them
   * for the status (a count a moment old is good enough there).
   */
  private final class Counts implements RunProgress.Counts {
    long migrated;
    volatile long rolledBack;
    long kept;
    long conflicts;
    volatile long failed;
    long unfinished;
    final List<RollbackResult.Problem> problems = new ArrayList<>();

    @Override
    public long done() {
      return rolledBack;
    }

    @Override
    public long failed() {
      return failed;
    }

    RollbackResult result(RunStatus status, Duration duration, RuntimeException failure) {
      return new RollbackResult(
          status,
          options.dryRun(),
          migrated,
          rolledBack,
          kept,
          conflicts,
          failed,
          unfinished,
          duration,
          problems,
          failure);
    }
  }

  private void print(RollbackResult result) {
    out.println(
        result.dryRun()
            ? "Rollback summary (dry run: what a real rollback would do; nothing was written)"
            : "Rollback summary");
    out.printf("  %-12s %d%n", "as migrated", result.migrated());
    out.printf("  %-12s %d%n", "rolled back", result.rolledBack());
    out.printf(
        "  %-12s %d (achievements_v2 is not the migration's: kept)%n", "kept", result.kept());
    out.printf("  %-12s %d%n", "conflicts", result.conflicts());
    out.printf("  %-12s %d%n", "failed", result.failed());
    if (result.unfinished() > 0) {
      out.printf(
          "  %-12s %d (not known rolled back when the run stopped: run again to finish)%n",
          "unfinished", result.unfinished());
    }
    out.printf("  %-12s %.3f s%n", "duration", result.duration().toMillis() / 1000.0);
    if (!result.problems().isEmpty()) {
      long count = result.kept() + result.conflicts() + result.failed();
      out.printf(
          "Not rolled back (%s):%n",
          result.problems().size() < count
              ? "first " + result.problems().size() + " of " + count
              : Long.toString(count));
      result
          .problems()
          .forEach(p -> out.printf("  _id %s: %s %s%n", p.id(), p.outcome().code(), p.detail()));
    }
    out.flush();
  }
}
