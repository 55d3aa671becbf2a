package app.achievements.pace;

import app.achievements.store.Retry;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * {@code --max-rate}: holds writes back so that no more than {@code rate} users per second are
 * written. Each batch is paid for before it is sent, at the rate in force then: the first batch of
 * 1000 at 100 users/s goes after 10 s, the next 10 s later. Time spent not writing (paused, say)
 * earns no credit, so a run that goes on after a long pause does not burst. Writers share it; the
 * rate can change while the run goes ({@code set --max-rate}). Time is elapsed time: no change of
 * the wall clock moves it.
 */
public final class Throttle {

  private final LongSupplier nanoTime;
  private final Retry.Sleeper sleeper;
  private double rate;

  /** When the writes granted so far are paid for. */
  private Long paidUntil;

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

  /** From now on, {@code rate} users per second; 0 for no limit. */
  public synchronized void setRate(double rate) {
    if (!(rate >= 0) || Double.isInfinite(rate)) {
      throw new IllegalArgumentException("rate must be 0 or more: " + rate);
    }
    this.rate = rate;
  }

  public synchronized double rate() {
    return rate;
  }

  /** Waits until {@code users} more may be written. */
  public void acquire(int users) {
    Duration wait = grant(users);
    if (!wait.isZero()) {
      try {
        sleeper.sleep(wait);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * Counts {@code users} as granted; how long to wait before writing them: until the writes before
   * are paid for (or now, if they are already), plus the time these users cost at the rate.
   */
  private synchronized Duration grant(int users) {
    if (rate == 0 || users == 0) {
      return Duration.ZERO;
    }
    long now = nanoTime.getAsLong();
    long from = paidUntil == null || paidUntil - now < 0 ? now : paidUntil;
    paidUntil = from + (long) (users / rate * 1e9);
    return Duration.ofNanos(Math.max(0, paidUntil - now));
  }
}
