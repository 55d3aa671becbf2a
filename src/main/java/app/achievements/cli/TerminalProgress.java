package app.achievements.cli;

import app.achievements.pace.PaceState;
import app.achievements.run.ProgressListener;
import java.io.PrintWriter;
import java.time.temporal.ChronoUnit;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;

/**
 * A live progress bar (done/eligible, users/s, ETA) for a terminal, drawn on standard error by
 * me.tongfei:progressbar, with the pace beside it: why writes wait ("paused: lag 14.2 s > 10 s"),
 * else the lag when it is checked and the batch size when it follows the server. Without an
 * eligible count beforehand ({@code --yes}), the bar counts up with no ETA.
 */
final class TerminalProgress implements ProgressListener {

  private final PrintWriter err;
  private final int width;
  private ProgressBar bar;

  TerminalProgress(PrintWriter err, int width) {
    this.err = err;
    this.width = width;
  }

  @Override
  public void progress(Snapshot snapshot) {
    if (bar == null) {
      bar =
          new ProgressBarBuilder()
              .setTaskName(snapshot.labels().task())
              .setInitialMax(snapshot.expected())
              .setUnit(" users", 1)
              .showSpeed()
              .setSpeedUnit(ChronoUnit.SECONDS)
              .setUpdateIntervalMillis(200)
              .setConsumer(new DelegatingProgressBarConsumer(this::draw, width))
              .build();
    }
    bar.stepTo(snapshot.processed());
    bar.setExtraMessage(extra(snapshot.pace()));
  }

  /** What the bar shows of the pace: why writes wait, else the lag and an adaptive batch size. */
  static String extra(PaceState pace) {
    if (pace.writes().reason() != null) {
      return pace.writes().reason();
    }
    StringBuilder extra = new StringBuilder();
    if (pace.shownLag() != null) {
      extra.append("lag ").append(pace.shownLag());
    }
    if (pace.adaptive()) {
      extra.append(extra.length() == 0 ? "" : ", ").append("batch ").append(pace.batchSize());
    }
    return extra.toString();
  }

  @Override
  public void done() {
    if (bar != null) {
      bar.close();
      err.println();
      err.flush();
      bar = null;
    }
  }

  private void draw(String line) {
    err.print('\r' + line);
    err.flush();
  }
}
