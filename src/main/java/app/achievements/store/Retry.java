package app.achievements.store;

import com.mongodb.MongoBulkWriteException;
import com.mongodb.MongoCommandException;
import com.mongodb.MongoConnectionPoolClearedException;
import com.mongodb.MongoException;
import com.mongodb.MongoExecutionTimeoutException;
import com.mongodb.MongoNodeIsRecoveringException;
import com.mongodb.MongoNotPrimaryException;
import com.mongodb.MongoServerException;
import com.mongodb.MongoSocketException;
import com.mongodb.MongoTimeoutException;
import com.mongodb.MongoWriteConcernException;
import com.mongodb.bulk.WriteConcernError;
import java.time.Duration;
import java.util.Random;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.bson.BsonBoolean;
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

  /**
   * Hears what a retry rides out, for the pace of a run: transient failures, counted against the
   * budget, and an overloaded server, which is not.
   */
  public interface Listener {
    /** A step failed for a transient reason and is tried again. */
    void retried(MongoException e);

    /**
     * The server is overloaded, or replication did not keep up ({@code reason} says which): how
     * long to back off before the step is tried again.
     */
    Duration overloaded(String reason);

    /** A step went through after an overload. */
    void recovered();
  }

  static final Duration FIRST_BACKOFF = Duration.ofMillis(200);
  static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

  private static final Logger log = LoggerFactory.getLogger(Retry.class);

  private final int maxRetries;
  private final Duration timeout;
  private final LongSupplier nanoTime;
  private final Sleeper sleeper;
  private final Random random;
  private final Listener listener;

  /**
   * At most {@code maxRetries} retries of a step, none later than {@code timeout} after its first
   * failure (elapsed time: no change of the wall clock moves it), waiting with {@code sleeper}.
   */
  public Retry(int maxRetries, Duration timeout, Sleeper sleeper, Random random) {
    this(maxRetries, timeout, sleeper, random, System::nanoTime);
  }

  /** As above, measuring elapsed time on {@code nanoTime} (tests: a fake). */
  Retry(int maxRetries, Duration timeout, Sleeper sleeper, Random random, LongSupplier nanoTime) {
    this(maxRetries, timeout, sleeper, random, nanoTime, null);
  }

  private Retry(
      int maxRetries,
      Duration timeout,
      Sleeper sleeper,
      Random random,
      LongSupplier nanoTime,
      Listener listener) {
    if (maxRetries < 0) {
      throw new IllegalArgumentException("maxRetries < 0");
    }
    this.maxRetries = maxRetries;
    this.timeout = timeout;
    this.nanoTime = nanoTime;
    this.sleeper = sleeper;
    this.random = random;
    this.listener = listener;
  }

  /**
   * This retry, telling {@code listener} what it rides out, and backing off from an overloaded
   * server as long as {@code listener} says without counting it against the retries or their time:
   * an overload is a reason to slow down, not a failure (without a listener, it counts like any
   * transient failure).
   */
  public Retry listening(Listener listener) {
    return new Retry(maxRetries, timeout, sleeper, random, nanoTime, listener);
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
    boolean overloaded = false;
    for (int attempt = 0; ; ) {
      try {
        T result = step.get();
        if (overloaded) {
          listener.recovered();
        }
        return result;
      } catch (MongoException e) {
        String overload = overload(e);
        if (overload != null && listener != null) {
          overloaded = true;
          Duration backoff = listener.overloaded(overload);
          log.warn("{}: {}; backing off {} ms", what, overload, backoff.toMillis());
          sleep(backoff, e);
          if (deadline != null) {
            deadline += backoff.toNanos(); // the time spent backing off is not the retries'
          }
          continue;
        }
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
        if (listener != null) {
          listener.retried(e);
        }
        sleep(backoff, e);
        attempt++;
      }
    }
  }

  private void sleep(Duration backoff, MongoException failure) {
    try {
      sleeper.sleep(backoff);
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
      throw failure;
    }
  }

  /** Full jitter: a random wait up to min(max, first × 2^attempt). */
  Duration backoff(int attempt) {
    long cap = Math.min(MAX_BACKOFF.toMillis(), FIRST_BACKOFF.toMillis() << Math.min(attempt, 20));
    return Duration.ofMillis(1 + (long) (random.nextDouble() * cap));
  }

  /**
   * Whether {@code e} may pass by itself: network errors (and a pool paused by one), timeouts (a
   * socket read, server selection, the server's {@code maxTimeMS}), not-primary and node-recovering
   * errors, errors the server labels retryable, and a write that failed on its write concern, such
   * as a {@code wtimeout} (the writes may or may not have landed; a replay settles it).
   */
  static boolean isTransient(MongoException e) {
    if (overload(e) != null
        || e instanceof MongoSocketException
        || e instanceof MongoConnectionPoolClearedException
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

  /**
   * mongod's codes of its {@code SystemOverloadedError} category ({@code error_codes.yml}):
   * AdmissionQueueOverflow, RateLimitExceeded, PooledConnectionAcquisitionRejected and
   * IngressRequestRateLimitExceeded.
   */
  static final Set<Integer> OVERLOADED = Set.of(433, 449, 450, 462);

  /** mongod's code for a write concern that timed out ({@code wtimeout}). */
  static final int WRITE_CONCERN_TIMEOUT = 64;

  /**
   * Why {@code e} says to slow down, or null: the server answered with an error labelled {@code
   * SystemOverloadedError} (or its code is one of that category's, such as 462, {@code
   * IngressRequestRateLimitExceeded}), or the write concern timed out (code 64, or {@code
   * errInfo.wtimeout}): the writes were applied on the primary but replication did not keep up with
   * them in time.
   */
  static String overload(MongoException e) {
    // only what the server said: the driver also labels its own failures to connect
    // SystemOverloadedError, and a server that stays out of reach must end the run in time
    if (e instanceof MongoServerException
        && (e.hasErrorLabel(MongoException.SYSTEM_OVERLOADED_ERROR_LABEL)
            || OVERLOADED.contains(e.getCode()))) {
      return "the server is overloaded (error "
          + e.getCode()
          + (e instanceof MongoCommandException command ? " " + command.getErrorCodeName() : "")
          + ")";
    }
    WriteConcernError concern =
        e instanceof MongoBulkWriteException bulk
            ? bulk.getWriteConcernError()
            : e instanceof MongoWriteConcernException single ? single.getWriteConcernError() : null;
    if (concern != null
        && (concern.getCode() == WRITE_CONCERN_TIMEOUT
            || concern.getDetails().getBoolean("wtimeout", BsonBoolean.FALSE).getValue())) {
      return "replication did not keep up (the write concern timed out: "
          + concern.getMessage()
          + ")";
    }
    return null;
  }
}
