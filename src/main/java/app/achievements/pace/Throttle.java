package app.achievements.run;

import app.achievements.store.Retry;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * {@code --max-rate}: holds writes back so that, since the first one, no more than {@code rate}
 * users per second are written on average. Spares a busy production cluster. Time is elapsed time:
 * no change of the wall clock moves it.
 */
public final class Throttle {

  /** Never waits. */
  public static final Throttle NONE = new Throttle(0, d -> {});

  private final double rate;
  private final LongSupplier nanoTime;
  private final Retry.Sleeper sleeper;
  private Long started;
  private long granted;

  /** {@code rate} users per second; 0 for no limit. */
  public Throttle(double rate, Retry.Sleeper sleeper) {
    this(rate, sleeper, System::nanoTime);
  }

  /** As above, measuring elapsed time on {@code nanoTime} (tests: a fake). */
  Throttle(double rate, Retry.Sleeper sleeper, LongSupplier nanoTime) {
    if (rate < 0 || Double.isNaN(rate)) {
      throw new IllegalArgumentException("rate < 0");
    }
    this.rate = rate;
    this.nanoTime = nanoTime;
    this.sleeper = sleeper;
  }

  /** Waits until {@code users} more may be written. */
  public void acquire(int users) {
    if (rate == 0 || users == 0) {
      return;
    }
    Duration wait = grant(users);
    if (!wait.isNegative() && !wait.isZero()) {
      try {
        sleeper.sleep(wait);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * Counts {@code users} as granted; how long to wait before writing them. Writers share it. A
   * batch is paid for before it is sent: by any time since the first grant, no more than {@code
   * rate} users per second have been written, the first batch included.
   */
  private synchronized Duration grant(int users) {
    long now = nanoTime.getAsLong();
    if (started == null) {
      started = now;
    }
    granted += users;
    long allowed = started + (long) (granted / rate * 1e9);
    return Duration.ofNanos(Math.max(0, allowed - now));
  }
}
