package app.achievements.migration;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * {@code --max-rate}: holds writes back so that, since the first one, no more than {@code rate}
 * users per second are written on average. Spares a busy production cluster.
 */
public final class Throttle {

  /** Never waits. */
  public static final Throttle NONE = new Throttle(0, Clock.systemUTC(), d -> {});

  private final double rate;
  private final Clock clock;
  private final Retry.Sleeper sleeper;
  private Instant started;
  private long granted;

  /** {@code rate} users per second; 0 for no limit. */
  public Throttle(double rate, Clock clock, Retry.Sleeper sleeper) {
    if (rate < 0 || Double.isNaN(rate)) {
      throw new IllegalArgumentException("rate < 0");
    }
    this.rate = rate;
    this.clock = clock;
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

  /** Counts {@code users} as granted; how long to wait before writing them. Writers share it. */
  private synchronized Duration grant(int users) {
    Instant now = clock.instant();
    if (started == null) {
      started = now;
    }
    // The writes granted so far may not have ended before started + granted / rate.
    Instant allowed = started.plusNanos((long) (granted / rate * 1e9));
    granted += users;
    return Duration.between(now, allowed);
  }
}
