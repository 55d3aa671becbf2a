package app.achievements.store;

/** Another live run holds the lock on the collection; the message names it and since when. */
public final class LockHeldException extends RuntimeException {
  public LockHeldException(String message) {
    super(message);
  }
}
