package app.achievements.pace;

import app.achievements.store.Retry;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * {@code --max-rate}: holds writes back so that no more than {@code rate} users per second are
 * written. Each batch is paid for before it is sent: the first batch of 1000 at 100 users/s goes
 * after 10 s, the next 10 s later. Time spent not writing (paused, say) earns no credit, so a run
 * that goes on after a long pause does not burst. Writers share it.
 *
 * <p>The rate can change while writers wait ({@code set --max-rate}): the users granted and not
 * paid for yet are then paid at the new rate, so a faster rate shortens the waits under way, and no
 * rate takes effect only once a wait worked out at the old one is over. A writer waits in slices of
 * {@link #SLICE} and looks again after each. Time is elapsed time: no change of the wall clock
 * moves it.
 */
public final class Throttle {

  /** The longest a waiting writer sleeps before it looks at its wait again. */
  static final Duration SLICE = Duration.ofMillis(200);

  private final LongSupplier nanoTime;
  private final Retry.Sleeper sleeper;
  private double rate;

  /** Every user granted so far, and when they are all paid for ({@code nanoTime}). */
  private long granted;

  private long paidUntil;
  private boolean started;
  private int waiting;

  /** {@code rate} users per second; 0 for no limit. */
  public Throttle(double rate, Retry.Sleeper sleeper) {
    this(rate, sleeper, System::nanoTime);
  }

  /** As above, measuring elapsed time on {@code nanoTime} (tests: a fake). */
  Throttle(double rate, Retry.Sleeper sleeper, LongSupplier nanoTime) {
    this.nanoTime = nanoTime;
    this.sleeper = sleeper;
    setRate(rate);
  }

  /** Never waits. */
  public static Throttle none() {
    return new Throttle(0, d -> {});
  }

  /**
   * From now on, {@code rate} users per second; 0 for no limit. What was granted and is not paid
   * for yet is paid at the new rate.
   */
  public synchronized void setRate(double rate) {
    if (!(rate >= 0) || Double.isInfinite(rate)) {
      throw new IllegalArgumentException("rate must be 0 or more: " + rate);
    }
    long now = nanoTime.getAsLong();
    if (started && paidUntil - now > 0) {
      double owed = this.rate == 0 ? 0 : (paidUntil - now) / 1e9 * this.rate;
      paidUntil = rate == 0 ? now : now + (long) (owed / rate * 1e9);
    }
    this.rate = rate;
  }

  public synchronized double rate() {
    return rate;
  }

  /** Whether a writer waits for the rate now. */
  public synchronized boolean holding() {
    return waiting > 0;
  }

  /** Waits until {@code users} more may be written. */
  public void acquire(int users) {
    long mark;
    synchronized (this) {
      if (rate == 0 || users == 0) {
        return;
      }
      mark = grant(users);
      waiting++;
    }
    try {
      while (true) {
        long wait = dueOf(mark) - nanoTime.getAsLong();
        if (wait <= 0) {
          return;
        }
        sleeper.sleep(Duration.ofNanos(Math.min(wait, SLICE.toNanos())));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      synchronized (this) {
        waiting--;
      }
    }
  }

  /**
   * Counts {@code users} as granted, paid for after the users granted before them, or from now if
   * those are paid for already; the count of every user granted up to these.
   */
  synchronized long grant(int users) {
    long now = nanoTime.getAsLong();
    long from = !started || paidUntil - now < 0 ? now : paidUntil;
    started = true;
    paidUntil = from + (long) (users / rate * 1e9);
    granted += users;
    return granted;
  }

  /**
   * When the grant that brought the count of users granted to {@code mark} is paid for, at the rate
   * in force now ({@code nanoTime}).
   */
  synchronized long dueOf(long mark) {
    if (rate == 0) {
      return nanoTime.getAsLong();
    }
    return paidUntil - (long) ((granted - mark) / rate * 1e9);
  }
}
