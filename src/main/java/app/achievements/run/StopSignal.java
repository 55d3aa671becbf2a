package app.achievements.run;

import app.achievements.store.LockHeldException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Why a run must take no new work, once anything says so: the operator (Ctrl-C, SIGTERM, SIGHUP),
 * the loss of its lock, its time limit, or a failure in one of its threads. Every wait of a run
 * (the throttle, a retry's backoff, a lease that is not confirmed) sleeps on this signal, so a stop
 * ends it at once; every send checks it just before it goes.
 */
public final class StopSignal {

  /** Why the run stops; the first reason given wins. */
  public enum Reason {
    /** The operator asked: Ctrl-C, SIGTERM, SIGHUP. */
    INTERRUPTED,
    /** The run's lock was taken away, or its lease could lapse before it is renewed. */
    LOCK_LOST,
    /** Its time limit passed ({@code --stop-after}). */
    TIME_LIMIT,
    /** One of the run's threads failed; that failure is the one reported. */
    FAILED
  }

  private Reason reason;
  private String message;
  private Throwable cause;
  private boolean armed;
  private boolean exiting;
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

  /** Asks the run to stop for {@code reason}; true the first time, when the reason is taken. */
  public boolean request(Reason reason, String message) {
    return request(reason, message, null);
  }

  /**
   * Asks the run to stop for {@code reason}, {@code cause} being the failure that is the run's own
   * (a thread that died); true the first time, when the reason is taken.
   */
  public boolean request(Reason reason, String message, Throwable cause) {
    synchronized (this) {
      if (this.reason != null) {
        return false;
      }
      this.reason = reason;
      this.message = message;
      this.cause = cause;
      notifyAll();
    }
    // On a thread of their own: whoever asks may hold a lock that a listener needs (a tally whose
    // report just failed, while the listener closes the reader that waits for that tally).
    Thread notify = new Thread(() -> listeners.forEach(Runnable::run), "stop-listeners");
    notify.setDaemon(true);
    notify.start();
    return true;
  }

  /** The failure that stopped the run, when one of its threads died of it; else null. */
  public synchronized Throwable cause() {
    return cause;
  }

  /** The operator's stop: Ctrl-C or a signal. */
  public boolean request() {
    return request(
        Reason.INTERRUPTED,
        "interrupted: stopped before the next batch; every user is untouched or fully written,"
            + " run again to finish");
  }

  /**
   * Says that the run is under way and stops by itself, at its next write, when asked: from now on
   * a stop is worth waiting for. Before that (counting, the prompt) nothing has been written and
   * the process may simply end.
   */
  public synchronized boolean arm() {
    if (!exiting) {
      armed = true;
    }
    return armed;
  }

  public synchronized boolean armed() {
    return armed;
  }

  /**
   * Says that the process ends now, nothing having been written, unless the run was armed first:
   * true when the process may end; from then on {@link #arm} refuses. So a signal and the start of
   * a run cannot cross: either the run never begins, or the signal waits for it to stop.
   */
  public synchronized boolean exitUnlessArmed() {
    if (!armed) {
      exiting = true;
    }
    return exiting;
  }

  public synchronized boolean requested() {
    return reason != null;
  }

  /** The reason, or null while the run may go on. */
  public synchronized Reason reason() {
    return reason;
  }

  /** Throws what ends the run when a stop was requested. */
  public void throwIfRequested() {
    RuntimeException stopped = exception();
    if (stopped != null) {
      throw stopped;
    }
  }

  /**
   * Sleeps for {@code duration}, or less when a stop is requested meanwhile; then throws what ends
   * the run. The sleep of the throttle and of retries: a stop ends it at once.
   */
  public void sleep(Duration duration) {
    long deadline = System.nanoTime() + duration.toNanos();
    synchronized (this) {
      while (reason == null) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return;
        }
        try {
          wait(Math.max(1, left / 1_000_000), 0);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
    throwIfRequested();
  }

  /**
   * Runs {@code listener} once a stop is requested, on a thread of its own (at once, on this one,
   * if it was already); for a wait that is not on this signal, such as a page queue.
   */
  public void onRequest(Runnable listener) {
    listeners.add(listener);
    if (requested()) {
      listener.run();
    }
  }

  /** The exception a stopped run ends with, or null while it may go on. */
  public synchronized RuntimeException exception() {
    if (reason == null) {
      return null;
    }
    return switch (reason) {
      case INTERRUPTED -> new RunInterruptedException(message);
      case LOCK_LOST -> new LockHeldException(message);
      case TIME_LIMIT -> new TimeLimitException(message);
      case FAILED -> new RunStoppedException(message);
    };
  }
}
