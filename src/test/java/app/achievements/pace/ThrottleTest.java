package app.achievements.pace;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** {@code --max-rate}: the throttle, on a clock that only its sleeps move. */
class ThrottleTest {

  private final AtomicLong nanos = new AtomicLong();
  private final List<Duration> slept = new ArrayList<>();

  /** Sleeps by moving the fake clock. */
  private Throttle throttle(double rate) {
    return new Throttle(
        rate,
        d -> {
          slept.add(d);
          nanos.addAndGet(d.toNanos());
        },
        nanos::get);
  }

  private Duration now() {
    return Duration.ofNanos(nanos.get());
  }

  /** Each batch is paid for before it goes: by any time, at most the rate, the first included. */
  @Test
  void throttleSpacesTheWritesToTheRate() {
    Throttle throttle = throttle(100);
    throttle.acquire(100);
    assertThat(now()).isEqualTo(Duration.ofSeconds(1));
    throttle.acquire(100);
    assertThat(now()).isEqualTo(Duration.ofSeconds(2));
    throttle.acquire(50);
    assertThat(now()).isEqualTo(Duration.ofMillis(2500));
    assertThat(slept).allMatch(d -> d.compareTo(Throttle.SLICE) <= 0);
    slept.clear();
    throttle(0).acquire(1_000_000);
    assertThat(slept).isEmpty();
  }

  @Test
  void timeSpentNotWritingEarnsNoCreditSoALongPauseIsNoBurst() {
    Throttle throttle = throttle(100);
    throttle.acquire(100);
    nanos.addAndGet(Duration.ofMinutes(10).toNanos()); // paused for ten minutes
    Duration resumed = now();
    throttle.acquire(100);
    assertThat(now()).isEqualTo(resumed.plusSeconds(1));
    throttle.acquire(100);
    assertThat(now()).isEqualTo(resumed.plusSeconds(2));
  }

  /** A throttle at {@code rate} that is set to {@code then} once its clock reads {@code at}. */
  private Throttle changingAt(double rate, Duration at, double then) {
    Throttle[] self = new Throttle[1];
    self[0] =
        new Throttle(
            rate,
            d -> {
              nanos.addAndGet(d.toNanos());
              if (now().equals(at)) {
                self[0].setRate(then); // set --max-rate, while a writer waits
              }
            },
            nanos::get);
    return self[0];
  }

  @Test
  void aFasterRateShortensTheWaitUnderWayAndNoLimitEndsIt() {
    // 1000 users at 10 a second: 100 s; at 10 s, 900 users are owed, at 1000 a second 0.9 s
    changingAt(10, Duration.ofSeconds(10), 1000).acquire(1000);
    assertThat(now()).isEqualTo(Duration.ofMillis(10_900));

    nanos.set(0);
    changingAt(10, Duration.ofSeconds(5), 0).acquire(1000);
    assertThat(now()).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void aSlowerRateAppliesToWhatIsNotPaidForYet() {
    Throttle throttle = throttle(100);
    throttle.acquire(100); // paid by 1 s
    throttle.setRate(10);
    throttle.acquire(100); // 10 s at the new rate
    assertThat(now()).isEqualTo(Duration.ofSeconds(11));
  }

  @Test
  void writersSharingAThrottleAreGrantedOneAfterAnother() throws Exception {
    Throttle throttle = throttle(100);
    List<Long> due = Collections.synchronizedList(new ArrayList<>());
    List<Thread> writers = new ArrayList<>();
    for (int w = 0; w < 4; w++) {
      writers.add(
          new Thread(
              () -> {
                for (int i = 0; i < 50; i++) {
                  long mark = throttle.grant(10);
                  due.add(throttle.dueOf(mark));
                }
              }));
    }
    writers.forEach(Thread::start);
    for (Thread writer : writers) {
      writer.join();
    }
    // 200 grants of 10 users at 100 users/s: the n-th is due at n × 0.1 s, none counted twice
    // (to the millisecond: the throttle computes in floating point)
    List<Long> expected = new ArrayList<>();
    for (int n = 1; n <= 200; n++) {
      expected.add(100L * n);
    }
    assertThat(due.stream().map(d -> Math.round(d / 1e6)).toList())
        .containsExactlyInAnyOrderElementsOf(expected);
  }
}
