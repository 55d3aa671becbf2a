package app.achievements.store;

import java.util.Locale;

/**
 * How a run ended, in one vocabulary for the summary, {@code --json}, the exit code and the history
 * entry (where a run that has not ended yet says {@code running}).
 */
public enum RunStatus {
  /** Every user was processed. */
  COMPLETED,
  /** The operator did not confirm; nothing was written, nothing recorded. */
  ABORTED,
  /** The operator stopped it (Ctrl-C, SIGTERM, SIGHUP): no write after that, counts so far. */
  INTERRUPTED,
  /** Its lock was taken away, or could not be renewed: no write after that, counts so far. */
  LOCK_LOST,
  /** Its time limit passed ({@code --stop-after}): no write after that, counts so far. */
  STOPPED,
  /** An error stopped it: counts so far. */
  FAILED;

  /** The code in JSON and in the history: {@code completed}, {@code lock_lost}, … */
  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }
}
