package app.achievements.store;

import com.mongodb.MongoBulkWriteException;
import com.mongodb.MongoException;
import com.mongodb.MongoExecutionTimeoutException;
import com.mongodb.MongoNodeIsRecoveringException;
import com.mongodb.MongoNotPrimaryException;
import com.mongodb.MongoSocketException;
import com.mongodb.MongoTimeoutException;
import com.mongodb.MongoWriteConcernException;
import java.time.Duration;
import java.util.Random;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retries a step that failed for a transient reason (the network, a failover, a server that did not
 * answer in time), with exponential backoff and full jitter, bounded by a number of attempts and by
 * a total time. Safe only for steps that can be replayed: a page read from its checkpoint and a
 * bulk write whose filters make a replay harmless.
 */
public final class Retry {

  /** Sleeps; tests pass one that records. */
  @FunctionalInterface
  public interface Sleeper {
    Sleeper REAL = duration -> Thread.sleep(duration.toMillis());

    void sleep(Duration duration) throws InterruptedException;
  }

  static final Duration FIRST_BACKOFF = Duration.ofMillis(200);
  static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

  private static final Logger log = LoggerFactory.getLogger(Retry.class);

  private final int maxRetries;
  private final Duration timeout;
  private final LongSupplier nanoTime;
  private final Sleeper sleeper;
  private final Random random;

  /**
   * At most {@code maxRetries} retries of a step, none later than {@code timeout} after its first
   * failure (elapsed time: no change of the wall clock moves it), waiting with {@code sleeper}.
   */
  public Retry(int maxRetries, Duration timeout, Sleeper sleeper, Random random) {
    this(maxRetries, timeout, sleeper, random, System::nanoTime);
  }

  /** As above, measuring elapsed time on {@code nanoTime} (tests: a fake). */
  Retry(int maxRetries, Duration timeout, Sleeper sleeper, Random random, LongSupplier nanoTime) {
    if (maxRetries < 0) {
      throw new IllegalArgumentException("maxRetries < 0");
    }
    this.maxRetries = maxRetries;
    this.timeout = timeout;
    this.nanoTime = nanoTime;
    this.sleeper = sleeper;
    this.random = random;
  }

  /** How long after a step's first failure its retries may go on. */
  public Duration timeout() {
    return timeout;
  }

  /** No retries at all. */
  public static Retry none() {
    return new Retry(0, Duration.ZERO, Sleeper.REAL, new Random());
  }

  /**
   * Runs {@code step}; on a transient failure, waits and runs it again, at most {@code maxRetries}
   * times and not past {@code timeout} after the first failure.
   */
  public <T> T call(String what, Supplier<T> step) {
    Long deadline = null; // read the time only once something failed
    for (int attempt = 0; ; attempt++) {
      try {
        return step.get();
      } catch (MongoException e) {
        if (!isTransient(e) || attempt >= maxRetries) {
          throw e;
        }
        if (deadline == null) {
          deadline = nanoTime.getAsLong() + timeout.toNanos();
        }
        Duration backoff = backoff(attempt);
        if (nanoTime.getAsLong() + backoff.toNanos() - deadline > 0) {
          throw e;
        }
        log.warn(
            "{} failed ({}); retry {} of {} in {} ms",
            what,
            e.getClass().getSimpleName(),
            attempt + 1,
            maxRetries,
            backoff.toMillis());
        try {
          sleeper.sleep(backoff);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }

  /** Full jitter: a random wait up to min(max, first × 2^attempt). */
  Duration backoff(int attempt) {
    long cap = Math.min(MAX_BACKOFF.toMillis(), FIRST_BACKOFF.toMillis() << Math.min(attempt, 20));
    return Duration.ofMillis(1 + (long) (random.nextDouble() * cap));
  }

  /**
   * Whether {@code e} may pass by itself: network errors, timeouts (a socket read, server
   * selection, the server's {@code maxTimeMS}), not-primary and node-recovering errors, errors the
   * server labels retryable, and a write that failed on its write concern, such as a {@code
   * wtimeout} (the writes may or may not have landed; a replay settles it).
   */
  static boolean isTransient(MongoException e) {
    if (e instanceof MongoSocketException
        || e instanceof MongoTimeoutException
        || e instanceof MongoExecutionTimeoutException
        || e instanceof MongoWriteConcernException
        || e instanceof MongoNotPrimaryException
        || e instanceof MongoNodeIsRecoveringException
        || e.hasErrorLabel("RetryableWriteError")
        || e.hasErrorLabel("TransientTransactionError")) {
      return true;
    }
    return e instanceof MongoBulkWriteException bulk
        && bulk.getWriteConcernError() != null
        && bulk.getWriteErrors().isEmpty();
  }
}
