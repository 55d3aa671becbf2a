package app.achievements.pace;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** {@code --max-rate}: the throttle, with a clock that the test holds still. */
class ThrottleTest {

  private final List<Duration> slept = new ArrayList<>();

  /** Each batch is paid for before it goes: by any time, at most the rate, the first included. */
  @Test
  void throttleSpacesTheWritesToTheRate() {
    Throttle throttle = new Throttle(100, slept::add, () -> 0);
    throttle.acquire(100);
    throttle.acquire(100);
    throttle.acquire(50);
    assertThat(slept)
        .containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofMillis(2500));
    slept.clear();
    new Throttle(0, slept::add, () -> 0).acquire(1_000_000);
    assertThat(slept).isEmpty();
  }

  @Test
  void timeSpentNotWritingEarnsNoCreditSoALongPauseIsNoBurst() {
    AtomicLong nanos = new AtomicLong();
    Throttle throttle = new Throttle(100, slept::add, nanos::get);
    throttle.acquire(100);
    nanos.addAndGet(Duration.ofMinutes(10).toNanos()); // paused for ten minutes
    throttle.acquire(100);
    throttle.acquire(100);
    assertThat(slept)
        .containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(2));
  }

  @Test
  void aNewRateAppliesToTheNextBatch() {
    Throttle throttle = new Throttle(100, slept::add, () -> 0);
    throttle.acquire(100);
    throttle.setRate(1000); // set --max-rate 1000
    throttle.acquire(100);
    throttle.setRate(0);
    throttle.acquire(1_000_000);
    assertThat(slept).containsExactly(Duration.ofSeconds(1), Duration.ofMillis(1100));
  }

  @Test
  void writersSharingAThrottleAreGrantedOneAfterAnother() throws Exception {
    List<Duration> waits = Collections.synchronizedList(new ArrayList<>());
    Throttle throttle = new Throttle(100, waits::add, () -> 0);
    List<Thread> writers = new ArrayList<>();
    for (int w = 0; w < 4; w++) {
      writers.add(
          new Thread(
              () -> {
                for (int i = 0; i < 50; i++) {
                  throttle.acquire(10);
                }
              }));
    }
    writers.forEach(Thread::start);
    for (Thread writer : writers) {
      writer.join();
    }
    // 200 grants of 10 users at 100 users/s: the n-th waits n × 0.1 s, none counted twice
    // (to the millisecond: the throttle computes in floating point)
    List<Long> expected = new ArrayList<>();
    for (int n = 1; n <= 200; n++) {
      expected.add(100L * n);
    }
    assertThat(waits.stream().map(d -> Math.round(d.toNanos() / 1e6)).toList())
        .containsExactlyInAnyOrderElementsOf(expected);
  }
}
