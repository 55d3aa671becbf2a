package app.achievements.cli;

import app.achievements.run.StopSignal;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
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

  /**
   * Installs the handlers; {@code lastWords} gets the error of a process that a signal ends before
   * the run could say so itself (under {@code --json}, it prints the one object).
   */
  static void install(StopSignal stop, PrintWriter err, Consumer<String> lastWords) {
    AtomicInteger received = new AtomicInteger();
    for (String name : new String[] {"INT", "TERM", "HUP"}) {
      try {
        Signal.handle(
            new Signal(name),
            signal -> {
              if (received.incrementAndGet() > 1) {
                lastWords.accept("interrupted again: stopped at once");
                Runtime.getRuntime().halt(ExitCodes.INTERRUPTED);
              }
              if (stop.exitUnlessArmed()) { // counting or asking: nothing written, nothing to wait
                err.printf("%nInterrupted before anything was written.%n");
                err.flush();
                lastWords.accept("interrupted before anything was written");
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
                        lastWords.accept(
                            "interrupted: the run did not stop within "
                                + GRACE.toSeconds()
                                + " s; halted (every user is untouched or fully written)");
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
