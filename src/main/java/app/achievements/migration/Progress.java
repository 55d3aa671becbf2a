package app.achievements.migration;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** Prints a progress line after a page, at most once per interval. */
final class Progress {

  private final PrintWriter out;
  private final Clock clock;
  private final Duration interval;
  private final long expected;
  private final Instant started;
  private Instant lastPrinted;

  /** {@code expected} is the eligible count when it was counted beforehand, else -1. */
  Progress(PrintWriter out, Clock clock, Duration interval, long expected, Instant started) {
    this.out = out;
    this.clock = clock;
    this.interval = interval;
    this.expected = expected;
    this.started = started;
    this.lastPrinted = started;
  }

  void maybePrint(Tally tally) {
    Instant now = clock.instant();
    if (Duration.between(lastPrinted, now).compareTo(interval) < 0) {
      return;
    }
    lastPrinted = now;
    long millis = Duration.between(started, now).toMillis();
    String rate = millis == 0 ? "n/a" : Long.toString(tally.eligible * 1000 / millis);
    out.printf(
        "Progress: %s eligible users processed (%d migrated, %d rejected, %d failed), %s users/s%n",
        expected < 0 ? Long.toString(tally.eligible) : tally.eligible + "/" + expected,
        tally.migratedCount(),
        tally.rejectedCount(),
        tally.failed,
        rate);
    out.flush();
  }
}
