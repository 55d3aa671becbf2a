package app.achievements.run;

/**
 * A thread of a run stopped because another one failed: the failure of that other thread is the one
 * to report, not this.
 */
public final class RunStoppedException extends RuntimeException {
  public RunStoppedException(String message) {
    super(message);
  }
}
