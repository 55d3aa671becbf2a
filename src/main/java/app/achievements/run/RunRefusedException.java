package app.achievements.run;

/** A real run cannot begin as asked (its lag check cannot work, say): nothing was written. */
public final class RunRefusedException extends RuntimeException {
  public RunRefusedException(String message) {
    super(message);
  }
}
