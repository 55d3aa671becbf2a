package app.achievements.migration;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Set when the operator asks the run to stop (Ctrl-C, SIGTERM): the runner takes no new page after
 * it, and ends with its summary as {@code interrupted}.
 */
public final class StopSignal {

  private final AtomicBoolean requested = new AtomicBoolean();

  /** Asks the run to stop; true the first time. */
  public boolean request() {
    return requested.compareAndSet(false, true);
  }

  public boolean requested() {
    return requested.get();
  }
}
