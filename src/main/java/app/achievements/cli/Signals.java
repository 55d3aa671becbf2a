package app.achievements.cli;

import app.achievements.migration.StopSignal;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import sun.misc.Signal;

/**
 * Ctrl-C, SIGTERM and SIGHUP (a terminal or SSH session that goes away) during a run that writes:
 * before the run has begun (counting, the prompt), the process ends at once, having written
 * nothing. During the run, the first asks the run to stop ({@link StopSignal#request()}): it sends
 * no write after that, gives the writes already on the wire a few seconds, prints its summary,
 * records {@code interrupted}, releases its lock and exits 130. Should that not happen within
 * {@link #GRACE}, the process halts anyway; the second signal halts it at once.
 */
final class Signals {

  /** How long after the first signal the process is gone at the latest. */
  static final Duration GRACE = Duration.ofSeconds(30);

  private Signals() {}

  static void install(StopSignal stop, PrintWriter err) {
    AtomicInteger received = new AtomicInteger();
    for (String name : new String[] {"INT", "TERM", "HUP"}) {
      try {
        Signal.handle(
            new Signal(name),
            signal -> {
              if (received.incrementAndGet() > 1) {
                Runtime.getRuntime().halt(ExitCodes.INTERRUPTED);
              }
              if (!stop.armed()) { // counting or asking: nothing written, nothing to wait for
                err.printf("%nInterrupted before anything was written.%n");
                err.flush();
                System.exit(ExitCodes.INTERRUPTED);
              }
              stop.request();
              err.printf(
                  "%nStopping: no write after this one (SIG%s again to stop at once)...%n",
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
            });
      } catch (IllegalArgumentException unsupported) {
        // a platform without this signal, or one ignored from the start (nohup): left as it is
      }
    }
  }
}
