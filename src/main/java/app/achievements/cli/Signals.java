package app.achievements.cli;

import app.achievements.migration.StopSignal;
import java.io.PrintWriter;
import java.time.Duration;
import sun.misc.Signal;

/**
 * Ctrl-C and SIGTERM during a run that writes: the first asks the run to stop before its next batch
 * (it prints its summary, records {@code interrupted} and exits 130), and makes sure the process is
 * gone within {@link #GRACE} whatever happens; the second exits at once.
 */
final class Signals {

  static final Duration GRACE = Duration.ofSeconds(10);

  private Signals() {}

  static void install(StopSignal stop, PrintWriter err) {
    for (String name : new String[] {"INT", "TERM"}) {
      try {
        Signal.handle(
            new Signal(name),
            signal -> {
              if (stop.request()) {
                err.printf(
                    "%nStopping before the next batch (SIG%s again to stop at once)...%n",
                    signal.getName());
                err.flush();
                Thread watchdog =
                    new Thread(
                        () -> {
                          try {
                            Thread.sleep(GRACE.toMillis());
                          } catch (InterruptedException e) {
                            return;
                          }
                          Runtime.getRuntime().halt(ExitCodes.INTERRUPTED);
                        },
                        "stop-watchdog");
                watchdog.setDaemon(true);
                watchdog.start();
              } else {
                Runtime.getRuntime().halt(ExitCodes.INTERRUPTED);
              }
            });
      } catch (IllegalArgumentException unsupported) {
        // a platform without this signal: the default behaviour stays
      }
    }
  }
}
