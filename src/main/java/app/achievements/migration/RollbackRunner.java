package app.achievements.migration;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bson.BsonDocument;

/**
 * Undoes the migration: removes {@code achievements_v2} from every user whose value is exactly what
 * the migration writes by {@link Verification}'s rule, and keeps it (and reports it) on every other
 * user, such as one whose v2 the application has appended an unlock to. Each removal is guarded by
 * the exact v2, achievements and createdAt read ({@link WriteGuard#migratedAsRead}), so a user that
 * changes in between keeps its v2 too. A second migration restores what was removed.
 */
public final class RollbackRunner {

  static final int MAX_SHOWN = 100;

  private final RunSetup setup;
  private final UserStore users;
  private final PrintWriter out;
  private final Clock clock;
  private final MigrationOptions options;

  public RollbackRunner(RunSetup setup) {
    this.setup = setup;
    this.users = setup.users();
    this.out = setup.out();
    this.clock = setup.clock();
    this.options = setup.options();
  }

  public RollbackResult run() {
    out.printf("Collection: %s%n", users.namespace());
    if (options.dryRun()) {
      out.println("Dry run: reading and checking only; nothing will be written.");
    }
    if (!options.dryRun() && !options.assumeYes()) {
      out.println("Counting migrated users...");
      out.flush();
      long migrated = countMigrated();
      out.printf("Users with achievements_v2 exactly as migrated: %d%n", migrated);
      if (migrated == 0) {
        out.println("Nothing to roll back.");
        out.flush();
        return result(MigrationResult.Status.COMPLETED, 0, 0, 0, 0, 0, Duration.ZERO, List.of());
      }
      if (!setup
          .confirmation()
          .ask(
              out,
              String.format(
                  "Remove achievements_v2 from %d users in %s?", migrated, users.namespace()))) {
        return result(
            MigrationResult.Status.ABORTED, migrated, 0, 0, 0, 0, Duration.ZERO, List.of());
      }
    }
    setup.activeJournal().begin();
    try {
      RollbackResult result = rollBack();
      end("completed", result, null);
      print(result);
      return result;
    } catch (RuntimeException e) {
      end(RunSetup.statusOf(e), null, e);
      throw e;
    }
  }

  private RollbackResult rollBack() {
    Instant started = clock.instant();
    long migrated = 0;
    long rolledBack = 0;
    long kept = 0;
    long conflicts = 0;
    long failed = 0;
    List<MigrationResult.Problem> problems = new ArrayList<>();
    Iterator<List<BsonDocument>> pages = users.migratedPages(options.batchSize());
    while (setup.retry().call("reading users", pages::hasNext)) {
      setup.checkMayContinue();
      List<PlannedWrite> removals = new ArrayList<>();
      for (BsonDocument user : pages.next()) {
        Verification.Check check = Verification.check(user);
        if (check.finding() == Finding.MIGRATED) {
          migrated++;
          removals.add(new PlannedWrite(user, user.getArray(Fields.ACHIEVEMENTS_V2), Set.of()));
        } else if (check.finding() == Finding.MISMATCH) {
          kept++;
          problem(problems, user, Outcome.KEPT, check.reason());
        }
      }
      if (options.dryRun()) {
        rolledBack += removals.size();
        continue;
      }
      setup.throttle().acquire(removals.size());
      BatchResult result = setup.retry().call("writing users", () -> users.removeV2(removals));
      rolledBack += result.migrated().size();
      for (PlannedWrite conflict : result.conflicts()) {
        conflicts++;
        problem(problems, conflict.read(), Outcome.CONFLICT, "changed between read and write");
      }
      for (BatchResult.Failure failure : result.failures()) {
        failed++;
        problem(problems, failure.write().read(), Outcome.FAILED, failure.code());
      }
    }
    RollbackResult result =
        result(
            MigrationResult.Status.COMPLETED,
            migrated,
            rolledBack,
            kept,
            conflicts,
            failed,
            Duration.between(started, clock.instant()),
            problems);
    return result;
  }

  private void end(String status, RollbackResult result, RuntimeException failure) {
    Map<String, Long> counts = new LinkedHashMap<>();
    if (result != null) {
      counts.put("migrated", result.migrated());
      counts.put("rolledBack", result.rolledBack());
      counts.put("kept", result.kept());
      counts.put("conflicts", result.conflicts());
      counts.put("failed", result.failed());
    }
    setup.endJournal(status, counts, failure);
  }

  private long countMigrated() {
    long migrated = 0;
    Iterator<List<BsonDocument>> pages = users.migratedPages(options.batchSize());
    while (setup.retry().call("counting users", pages::hasNext)) {
      migrated +=
          pages.next().stream()
              .filter(user -> Verification.check(user).finding() == Finding.MIGRATED)
              .count();
    }
    return migrated;
  }

  private void problem(
      List<MigrationResult.Problem> problems, BsonDocument user, Outcome outcome, String reason) {
    setup.report().add(ReportRow.of(user, outcome.code(), reason, Set.of()));
    if (problems.size() < MAX_SHOWN) {
      problems.add(new MigrationResult.Problem(Json.relaxed(user.get(Fields.ID)), outcome, reason));
    }
  }

  private RollbackResult result(
      MigrationResult.Status status,
      long migrated,
      long rolledBack,
      long kept,
      long conflicts,
      long failed,
      Duration duration,
      List<MigrationResult.Problem> problems) {
    return new RollbackResult(
        status,
        options.dryRun(),
        migrated,
        rolledBack,
        kept,
        conflicts,
        failed,
        duration,
        problems);
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
