package app.achievements.run;

import app.achievements.pace.Brake;
import app.achievements.pace.PaceState;
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
    out.println("Progress: " + line(snapshot));
    out.flush();
  }

  /**
   * Where the run stands, in words: {@code 400/1000 eligible users processed (400 migrated, 0
   * rejected, 0 failed), 812 users/s, ETA 1 s}, then what a person should know of the pace: the
   * batch size when it follows the server, the lag when it is checked, and why writes wait.
   */
  static String line(Snapshot snapshot) {
    Labels labels = snapshot.labels();
    long rate = snapshot.rate();
    StringBuilder line =
        new StringBuilder()
            .append(
                snapshot.expected() < 0
                    ? Long.toString(snapshot.processed())
                    : snapshot.processed() + "/" + snapshot.expected())
            .append(' ')
            .append(labels.processed())
            .append(" processed (")
            .append(snapshot.migrated())
            .append(' ')
            .append(labels.done())
            .append(", ")
            .append(snapshot.rejected())
            .append(' ')
            .append(labels.left())
            .append(", ")
            .append(snapshot.failed())
            .append(" failed), ")
            .append(rate < 0 ? "n/a" : Long.toString(rate))
            .append(" users/s");
    if (snapshot.eta() != null) {
      line.append(", ETA ").append(duration(snapshot.eta()));
    }
    PaceState pace = snapshot.pace();
    if (pace.adaptive()) {
      line.append("; batch ").append(pace.batchSize());
    }
    if (pace.shownLag() != null) {
      line.append("; lag ").append(pace.shownLag());
    }
    if (pace.writes().reason() != null) {
      line.append("; ").append(pace.writes().reason());
    }
    return line.toString();
  }

  /** {@code 42 s}, {@code 3 min 20 s}, {@code 2 h 5 min}: a duration as people read it. */
  static String duration(Duration duration) {
    long seconds = duration.toSeconds();
    if (seconds < 60) {
      return Brake.seconds(duration);
    }
    if (seconds < 3600) {
      return seconds / 60 + " min " + seconds % 60 + " s";
    }
    return seconds / 3600 + " h " + seconds % 3600 / 60 + " min";
  }
}
