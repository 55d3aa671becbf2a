package app.achievements.cli;

import app.achievements.run.ProgressListener;
import java.io.PrintWriter;
import java.time.temporal.ChronoUnit;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;

/**
 * A live progress bar (done/eligible, users/s, ETA) for a terminal, drawn on standard error by
 * me.tongfei:progressbar. Without an eligible count beforehand ({@code --yes}), the bar counts up
 * with no ETA.
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
              .setTaskName("Migrating")
              .setInitialMax(snapshot.expected())
              .setUnit(" users", 1)
              .showSpeed()
              .setSpeedUnit(ChronoUnit.SECONDS)
              .setUpdateIntervalMillis(200)
              .setConsumer(new DelegatingProgressBarConsumer(this::draw, width))
              .build();
    }
    bar.stepTo(snapshot.processed());
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
