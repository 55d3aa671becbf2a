package app.achievements.run;

/**
 * An {@link Error} (out of memory, say) that stopped a thread of a run, carried as the run's
 * failure so that the run still prints its summary, records itself and releases its lock.
 */
public final class RunFailedException extends RuntimeException {
  public RunFailedException(Throwable cause) {
    super(cause.getClass().getSimpleName() + ": " + cause.getMessage(), cause);
  }
}
