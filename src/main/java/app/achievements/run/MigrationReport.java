package app.achievements.run;

import app.achievements.rules.ConversionResult;
import app.achievements.rules.Fields;
import app.achievements.rules.Json;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.bson.BsonValue;

/** Prints a run's examples and summary for the operator. */
final class MigrationReport {

  private final PrintWriter out;

  MigrationReport(PrintWriter out) {
    this.out = out;
  }

  void examples(List<Examples.Example> examples) {
    if (examples.isEmpty()) {
      return;
    }
    out.println("Examples (before -> after):");
    for (Examples.Example example : examples) {
      BsonValue id = example.before().get(Fields.ID);
      out.printf(
          "  _id %s: achievements %s, createdAt %s%n",
          Json.relaxed(id),
          show(example.before().get(Fields.ACHIEVEMENTS)),
          show(example.before().get(Fields.CREATED_AT)));
      if (example.after() instanceof ConversionResult.Migrate migrate) {
        out.printf("    -> achievements_v2 %s%n", Json.relaxed(migrate.achievementsV2()));
        if (!migrate.notes().isEmpty()) {
          out.printf("       notes: %s%n", join(migrate.notes()));
        }
      } else {
        out.printf(
            "    -> rejected %s%n", ((ConversionResult.Reject) example.after()).reason().name());
      }
    }
    out.println();
  }

  void summary(MigrationResult result) {
    out.println(
        result.dryRun()
            ? "Summary (dry run: what a real run would do; nothing was written)"
            : "Summary");
    row("eligible", result.eligible());
    row("migrated", result.migrated());
    row("rejected", result.rejected());
    counts(result.rejectedByReason());
    row("conflicts", result.conflicts());
    row("failed", result.failed());
    if (result.skipped() > 0) {
      row("skipped", result.skipped()); // no longer eligible when re-read after a conflict
    }
    if (result.unfinished() > 0) {
      out.printf(
          "  %-12s %d (read, not known written when the run stopped: each is untouched or fully"
              + " migrated; run again to finish)%n",
          "unfinished", result.unfinished());
    }
    if (!result.notes().isEmpty()) {
      out.println("  notes");
      counts(result.notes());
    }
    out.printf("  %-12s %s (the unlockedAt of last resort)%n", "run start", result.runStart());
    long perSecond = result.usersPerSecond();
    out.printf(
        "  %-12s %.3f s (%s users/s)%n",
        "duration",
        result.duration().toMillis() / 1000.0,
        perSecond < 0 ? "n/a" : Long.toString(perSecond));
    for (Outcome outcome : List.of(Outcome.FAILED, Outcome.CONFLICT, Outcome.REJECTED)) {
      List<MigrationResult.Problem> shown =
          result.problems().stream().filter(p -> p.outcome() == outcome).toList();
      if (shown.isEmpty()) {
        continue;
      }
      long count = result.count(outcome);
      out.printf(
          "%s (%s):%n",
          outcome.heading(),
          shown.size() < count ? "first " + shown.size() + " of " + count : Long.toString(count));
      shown.forEach(problem -> out.printf("  _id %s: %s%n", problem.id(), problem.detail()));
    }
    out.flush();
  }

  private void row(String label, long count) {
    out.printf("  %-12s %d%n", label, count);
  }

  private <K extends Enum<K>> void counts(Map<K, Long> counts) {
    counts.forEach((code, count) -> out.printf("    %-32s %d%n", code.name(), count));
  }

  private static String show(BsonValue value) {
    return value == null ? "(missing)" : Json.relaxed(value);
  }

  private static String join(Iterable<? extends Enum<?>> codes) {
    return StreamSupport.stream(codes.spliterator(), false)
        .map(Enum::name)
        .collect(Collectors.joining(", "));
  }
}
