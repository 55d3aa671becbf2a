package app.achievements.run;

/**
 * The run reached its time limit ({@code --stop-after}) and stopped before its next batch; every
 * user is untouched or fully migrated, run again to continue.
 */
public final class TimeLimitException extends RuntimeException {
  public TimeLimitException(String message) {
    super(message);
  }
}
