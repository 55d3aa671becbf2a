package app.achievements.run;

import java.io.PrintWriter;
import java.time.Duration;

/** Prints a plain progress line, at most once per interval: for logs, pipes and CI. */
public final class Progress implements ProgressListener {

  /** The least time between two lines, unless told otherwise. */
  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(5);

  private final PrintWriter out;
  private final Duration interval;
  private Duration lastPrinted = Duration.ZERO;

  public Progress(PrintWriter out, Duration interval) {
    this.out = out;
    this.interval = interval;
  }

  @Override
  public void progress(Snapshot snapshot) {
    if (snapshot.elapsed().minus(lastPrinted).compareTo(interval) < 0) {
      return;
    }
    lastPrinted = snapshot.elapsed();
    long perSecond = snapshot.perSecond();
    out.printf(
        "Progress: %s eligible users processed (%d migrated, %d rejected, %d failed), %s users/s%n",
        snapshot.expected() < 0
            ? Long.toString(snapshot.processed())
            : snapshot.processed() + "/" + snapshot.expected(),
        snapshot.migrated(),
        snapshot.rejected(),
        snapshot.failed(),
        perSecond < 0 ? "n/a" : Long.toString(perSecond));
    out.flush();
  }
}
