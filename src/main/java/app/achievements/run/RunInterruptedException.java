package app.achievements.run;

/** The operator stopped the run; every user is untouched or fully migrated, run again to finish. */
public final class RunInterruptedException extends RuntimeException {
  public RunInterruptedException(String message) {
    super(message);
  }
}
