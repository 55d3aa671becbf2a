package app.achievements.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.MongoCommandException;
import com.mongodb.MongoConnectionPoolClearedException;
import com.mongodb.MongoException;
import com.mongodb.MongoExecutionTimeoutException;
import com.mongodb.MongoSocketReadException;
import com.mongodb.MongoSocketReadTimeoutException;
import com.mongodb.MongoTimeoutException;
import com.mongodb.MongoWriteConcernException;
import com.mongodb.ServerAddress;
import com.mongodb.bulk.BulkWriteError;
import com.mongodb.bulk.WriteConcernError;
import com.mongodb.connection.ClusterId;
import com.mongodb.connection.ServerId;
import java.net.SocketTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.bson.BsonDocument;
import org.junit.jupiter.api.Test;

class RetryTest {

  private final List<Duration> slept = new ArrayList<>();
  private final Clock clock = Clock.fixed(Instant.EPOCH, ZoneOffset.UTC);

  private Retry retry(int maxRetries, Duration timeout) {
    return new Retry(maxRetries, timeout, slept::add, new Random(1), () -> 0);
  }

  private static MongoSocketReadException reset() {
    return new MongoSocketReadException("connection reset", new ServerAddress());
  }

  @Test
  void transientFailuresAreRetriedWithGrowingJitteredBackoff() {
    AtomicInteger calls = new AtomicInteger();
    String result =
        retry(8, Duration.ofMinutes(2))
            .call(
                "step",
                () -> {
                  if (calls.incrementAndGet() < 5) {
                    throw reset();
                  }
                  return "done";
                });
    assertThat(result).isEqualTo("done");
    assertThat(slept).hasSize(4);
    for (int attempt = 0; attempt < slept.size(); attempt++) {
      assertThat(slept.get(attempt).toMillis()).isBetween(1L, 200L << attempt);
    }
  }

  @Test
  void permanentFailuresAreNotRetried() {
    MongoCommandException refused =
        new MongoCommandException(
            BsonDocument.parse("{ok: 0, code: 13, errmsg: 'unauthorized'}"), new ServerAddress());
    assertThatThrownBy(
            () ->
                retry(8, Duration.ofMinutes(2))
                    .call(
                        "step",
                        () -> {
                          throw refused;
                        }))
        .isSameAs(refused);
    assertThat(slept).isEmpty();
  }

  @Test
  void givesUpAfterMaxRetries() {
    AtomicInteger calls = new AtomicInteger();
    assertThatThrownBy(
            () ->
                retry(3, Duration.ofMinutes(2))
                    .call(
                        "step",
                        () -> {
                          calls.incrementAndGet();
                          throw reset();
                        }))
        .isInstanceOf(MongoSocketReadException.class);
    assertThat(calls).hasValue(4);
  }

  @Test
  void givesUpWhenTheNextWaitWouldPassTheTimeout() {
    AtomicInteger calls = new AtomicInteger();
    assertThatThrownBy(
            () ->
                retry(100, Duration.ZERO)
                    .call(
                        "step",
                        () -> {
                          calls.incrementAndGet();
                          throw reset();
                        }))
        .isInstanceOf(MongoSocketReadException.class);
    assertThat(calls).hasValue(1);
  }

  @Test
  void oversizedDocumentsHaveTheirOwnCode() {
    assertThat(MongoUserStore.code(new BulkWriteError(10334, "too large", new BsonDocument(), 0)))
        .isEqualTo("DOCUMENT_TOO_LARGE");
    assertThat(MongoUserStore.code(new BulkWriteError(17419, "too large", new BsonDocument(), 0)))
        .isEqualTo("DOCUMENT_TOO_LARGE");
    assertThat(MongoUserStore.code(new BulkWriteError(121, "validation", new BsonDocument(), 0)))
        .isEqualTo("WRITE_ERROR:121");
  }

  @Test
  void backoffIsCappedAtTenSeconds() {
    for (int attempt = 0; attempt < 40; attempt++) {
      assertThat(retry(0, Duration.ZERO).backoff(attempt))
          .isLessThanOrEqualTo(Duration.ofSeconds(10));
    }
  }

  /** A step that ran out of time, on the client or the server, is tried again like a reset. */
  @Test
  void timeoutsAreTransient() {
    assertThat(
            Retry.isTransient(
                new MongoSocketReadTimeoutException(
                    "read timed out", new ServerAddress(), new SocketTimeoutException())))
        .isTrue();
    assertThat(
            Retry.isTransient(
                new MongoExecutionTimeoutException(50, "operation exceeded time limit")))
        .isTrue();
    assertThat(
            Retry.isTransient(
                new MongoWriteConcernException(
                    new WriteConcernError(
                        64,
                        "WriteConcernFailed",
                        "waiting for replication timed out",
                        new BsonDocument()),
                    null,
                    new ServerAddress())))
        .isTrue();
    assertThat(Retry.isTransient(new MongoTimeoutException("no server selected within 10000 ms")))
        .isTrue();
  }

  /**
   * An operation refused because a failure on another connection paused the pool (until the next
   * heartbeat finds the server) is a network failure like the one that paused it.
   */
  @Test
  void aPoolPausedByAnotherOperationsFailureIsTransient() {
    assertThat(
            Retry.isTransient(
                new MongoConnectionPoolClearedException(
                    new ServerId(new ClusterId(), new ServerAddress()), reset())))
        .isTrue();
  }

  /** What a run's pace hears: each transient failure, each overload, and the recovery. */
  private static final class Heard implements Retry.Listener {
    final List<String> events = new ArrayList<>();

    @Override
    public void retried(MongoException e) {
      events.add("retried");
    }

    @Override
    public Duration overloaded(String reason) {
      events.add("overloaded: " + reason);
      return Duration.ofSeconds(events.size());
    }

    @Override
    public void recovered() {
      events.add("recovered");
    }
  }

  private static MongoCommandException overloaded() {
    return new MongoCommandException(
        BsonDocument.parse(
            "{ok: 0, code: 462, codeName: 'IngressRequestRateLimitExceeded', errmsg: 'busy',"
                + " errorLabels: ['SystemOverloadedError', 'RetryableError']}"),
        new ServerAddress());
  }

  private static MongoWriteConcernException writeConcernTimeout() {
    return new MongoWriteConcernException(
        new WriteConcernError(
            64,
            "WriteConcernTimeout",
            "waiting for replication timed out",
            BsonDocument.parse("{wtimeout: true}")),
        null,
        new ServerAddress());
  }

  @Test
  void anOverloadedServerIsBackedOffAsLongAsItLastsWithoutSpendingTheRetries() {
    Heard heard = new Heard();
    AtomicInteger calls = new AtomicInteger();
    String result =
        retry(0, Duration.ZERO) // no retries at all for real failures
            .listening(heard)
            .call(
                "writing users",
                () -> {
                  int call = calls.incrementAndGet();
                  if (call <= 3) {
                    throw overloaded();
                  }
                  if (call == 4) {
                    throw writeConcernTimeout();
                  }
                  return "done";
                });
    assertThat(result).isEqualTo("done");
    assertThat(heard.events)
        .containsExactly(
            "overloaded: the server is overloaded (error 462 IngressRequestRateLimitExceeded)",
            "overloaded: the server is overloaded (error 462 IngressRequestRateLimitExceeded)",
            "overloaded: the server is overloaded (error 462 IngressRequestRateLimitExceeded)",
            "overloaded: replication did not keep up (the write concern timed out: waiting for"
                + " replication timed out)",
            "recovered");
    // the backoffs are the listener's
    assertThat(slept)
        .containsExactly(
            Duration.ofSeconds(1),
            Duration.ofSeconds(2),
            Duration.ofSeconds(3),
            Duration.ofSeconds(4));
  }

  @Test
  void transientFailuresStillSpendTheRetriesBetweenOverloads() {
    Heard heard = new Heard();
    AtomicInteger calls = new AtomicInteger();
    assertThatThrownBy(
            () ->
                retry(1, Duration.ofMinutes(2))
                    .listening(heard)
                    .call(
                        "step",
                        () -> {
                          if (calls.incrementAndGet() % 2 == 1) {
                            throw overloaded();
                          }
                          throw reset();
                        }))
        .isInstanceOf(MongoSocketReadException.class);
    assertThat(heard.events)
        .containsExactly(
            "overloaded: the server is overloaded (error 462 IngressRequestRateLimitExceeded)",
            "retried",
            "overloaded: the server is overloaded (error 462 IngressRequestRateLimitExceeded)");
  }

  /** Minutes of overload between two resets do not use up the time the retries have. */
  @Test
  void theTimeSpentBackingOffAnOverloadIsNotTheRetriesTime() {
    AtomicLong nanos = new AtomicLong();
    Retry.Listener fiveMinutes =
        new Retry.Listener() {
          @Override
          public void retried(MongoException e) {}

          @Override
          public Duration overloaded(String reason) {
            return Duration.ofMinutes(1);
          }

          @Override
          public void recovered() {}
        };
    Retry retry =
        new Retry(
                8,
                Duration.ofMinutes(2),
                d -> nanos.addAndGet(d.toNanos()),
                new Random(1),
                nanos::get)
            .listening(fiveMinutes);
    AtomicInteger calls = new AtomicInteger();
    String result =
        retry.call(
            "step",
            () -> {
              int call = calls.incrementAndGet();
              if (call == 1 || call == 7) {
                throw reset();
              }
              if (call <= 6) {
                throw overloaded(); // five minutes of backing off
              }
              return "done";
            });
    assertThat(result).isEqualTo("done");
    assertThat(Duration.ofNanos(nanos.get())).isGreaterThan(Duration.ofMinutes(5));
  }

  /**
   * The driver labels its own failures to connect SystemOverloadedError: those are the network's,
   * and must spend the retries, or a server that stays silent would hold the run for ever.
   */
  @Test
  void aNetworkFailureTheDriverLabelledOverloadedIsStillAFailure() {
    MongoSocketReadTimeoutException handshake =
        new MongoSocketReadTimeoutException(
            "timed out while connecting", new ServerAddress(), new SocketTimeoutException());
    handshake.addLabel(MongoException.SYSTEM_OVERLOADED_ERROR_LABEL);
    assertThat(Retry.overload(handshake)).isNull();
    Heard heard = new Heard();
    assertThatThrownBy(
            () ->
                retry(2, Duration.ofMinutes(2))
                    .listening(heard)
                    .call(
                        "step",
                        () -> {
                          throw handshake;
                        }))
        .isSameAs(handshake);
    assertThat(heard.events).containsExactly("retried", "retried");
  }

  @Test
  void withoutAListenerAnOverloadIsATransientFailureLikeAnyOther() {
    assertThat(Retry.isTransient(overloaded())).isTrue();
    assertThat(Retry.overload(writeConcernTimeout())).startsWith("replication did not keep up");
    assertThat(Retry.overload(reset())).isNull();
    AtomicInteger calls = new AtomicInteger();
    assertThatThrownBy(
            () ->
                retry(2, Duration.ofMinutes(2))
                    .call(
                        "step",
                        () -> {
                          calls.incrementAndGet();
                          throw overloaded();
                        }))
        .isInstanceOf(MongoCommandException.class);
    assertThat(calls).hasValue(3);
  }
}
