package app.achievements.run;

import app.achievements.rules.Fields;
import app.achievements.rules.Finding;
import app.achievements.rules.Json;
import app.achievements.rules.Verification;
import app.achievements.store.MongoRunJournal;
import app.achievements.store.Retry;
import app.achievements.store.UserStore;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bson.BsonDocument;

/**
 * Reads every user and checks it with {@link Verification}: writes nothing, ever. Findings other
 * than {@code migrated} and {@code not_applicable} go to the report.
 */
public final class VerifyRunner {

  /** The findings verify shows, with their headings, in this order. */
  private static final Map<Finding, String> SHOWN = new EnumMap<>(Finding.class);

  static {
    SHOWN.put(Finding.MISMATCH, "Mismatch");
    SHOWN.put(Finding.STILL_ELIGIBLE, "Still eligible");
    SHOWN.put(Finding.REJECTED, "Rejected");
  }

  static final int MAX_SHOWN = 20;

  private final UserStore users;
  private final PrintWriter out;
  private final Clock clock;
  private final int pageSize;
  private final ReportSink report;
  private final Set<Instant> runStarts;
  private final Retry retry;

  /**
   * Verify of {@code users}; {@code runStarts} are the start instants that real migrations recorded
   * ({@link MongoRunJournal#recordedRunStarts}), the only ones accepted where the fallback applied.
   * A page read that fails for a transient reason is read again from its checkpoint with {@code
   * retry}.
   */
  public VerifyRunner(
      UserStore users,
      PrintWriter out,
      Clock clock,
      int pageSize,
      ReportSink report,
      Set<Instant> runStarts,
      Retry retry) {
    this.users = users;
    this.out = out;
    this.clock = clock;
    this.pageSize = pageSize;
    this.report = report;
    this.runStarts = Set.copyOf(runStarts);
    this.retry = retry;
  }

  /**
   * Reads and checks every user. A failure (once its retries are spent) propagates after the counts
   * so far are printed.
   */
  public VerifyResult run() {
    out.printf("Collection: %s%n", users.namespace());
    out.println("Verify: reading every user; nothing will be written.");
    out.flush();
    report.open();
    Instant started = clock.instant();
    long read = 0;
    Map<Finding, Long> findings = new EnumMap<>(Finding.class);
    List<VerifyResult.Example> examples = new ArrayList<>();
    Iterator<List<BsonDocument>> pages = users.allPages(pageSize);
    try {
      while (retry.call("reading users", pages::hasNext)) {
        read += check(pages.next(), findings, examples);
      }
    } catch (RuntimeException e) {
      out.println("Stopped by an error; counts so far:");
      print(
          new VerifyResult(read, findings, examples, Duration.between(started, clock.instant())),
          false);
      throw e;
    }
    VerifyResult result =
        new VerifyResult(read, findings, examples, Duration.between(started, clock.instant()));
    print(result, true);
    return result;
  }

  /** Checks the users of one page into {@code findings}; returns how many it read. */
  private int check(
      List<BsonDocument> page, Map<Finding, Long> findings, List<VerifyResult.Example> examples) {
    for (BsonDocument user : page) {
      Verification.Check check = Verification.check(user, runStarts);
      long count = findings.merge(check.finding(), 1L, Long::sum);
      if (check.finding() != Finding.MIGRATED && check.finding() != Finding.NOT_APPLICABLE) {
        report.add(ReportRow.of(user, check.finding().code(), check.reason(), Set.of()));
        if (SHOWN.containsKey(check.finding()) && count <= MAX_SHOWN) {
          examples.add(
              new VerifyResult.Example(
                  Json.relaxed(user.get(Fields.ID)), check.finding(), check.reason()));
        }
      }
    }
    return page.size();
  }

  /** The summary; {@code complete}: every user was read, so there is a verdict. */
  private void print(VerifyResult result, boolean complete) {
    if (complete) {
      out.println(result.holds() ? "Verified: every check holds." : "Verify found problems.");
    }
    out.printf("  %-20s %d%n", "users read", result.read());
    out.printf("  %-20s %d%n", "migrated, as derived", result.count(Finding.MIGRATED));
    out.printf("  %-20s %d%n", "mismatch", result.count(Finding.MISMATCH));
    out.printf("  %-20s %d%n", "still eligible", result.count(Finding.STILL_ELIGIBLE));
    out.printf(
        "  %-20s %d (cannot be converted; not a failure)%n",
        "rejected", result.count(Finding.REJECTED));
    out.printf(
        "  %-20s %d (not checked)%n", "v2 without legacy", result.count(Finding.V2_WITHOUT_LEGACY));
    out.printf("  %-20s %.3f s%n", "duration", result.duration().toMillis() / 1000.0);
    SHOWN.forEach(
        (finding, heading) -> {
          List<VerifyResult.Example> shown =
              result.examples().stream().filter(e -> e.finding() == finding).toList();
          if (shown.isEmpty()) {
            return;
          }
          long count = result.count(finding);
          out.printf(
              "%s (%s):%n",
              heading,
              shown.size() < count
                  ? "first " + shown.size() + " of " + count
                  : Long.toString(count));
          shown.forEach(
              e -> out.printf("  _id %s%s%n", e.id(), e.reason() == null ? "" : ": " + e.reason()));
        });
    out.flush();
  }
}
