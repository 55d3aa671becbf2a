package app.achievements.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.achievements.store.Retry;
import com.mongodb.MongoSocketReadException;
import com.mongodb.ServerAddress;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The run's stop signal as the sleeper of retries. */
class StopSignalTest {

  private static MongoSocketReadException reset() {
    return new MongoSocketReadException("connection reset", new ServerAddress());
  }

  @Test
  void aStopDuringTheBackoffEndsTheRetriesAtOnce() {
    StopSignal stop = new StopSignal();
    AtomicInteger calls = new AtomicInteger();
    Retry patient = new Retry(100, Duration.ofHours(1), stop::sleep, new Random(1));

    assertThatThrownBy(
            () ->
                patient.call(
                    "step",
                    () -> {
                      calls.incrementAndGet();
                      stop.request();
                      throw reset();
                    }))
        .isInstanceOf(RunInterruptedException.class);
    assertThat(calls.get()).isEqualTo(1);
  }
}
