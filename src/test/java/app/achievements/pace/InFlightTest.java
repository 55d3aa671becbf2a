package app.achievements.pace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** How many bulk writes may be on their way: the writers at the server, at any distance. */
class InFlightTest {

  private static long ms(long millis) {
    return Duration.ofMillis(millis).toNanos();
  }

  @Test
  void nextToTheServerTheWindowIsTheWriters() {
    InFlight inFlight = new InFlight(2, () -> ms(1));
    for (int i = 0; i < 10; i++) {
      inFlight.took(ms(100));
    }
    assertThat(inFlight.window()).isEqualTo(2);
    assertThat(inFlight.most()).isEqualTo(8);
  }

  @Test
  void farFromItTheWindowKeepsTheWritersAtTheServer() {
    // 160 ms a write, 100 of them on the wire: 2 x 160 / 60 = 5.3, so 5 on their way
    InFlight inFlight = new InFlight(2, () -> ms(100));
    for (int i = 0; i < 10; i++) {
      inFlight.took(ms(160));
    }
    assertThat(inFlight.window()).isEqualTo(5);
  }

  @Test
  void theWindowNeverHoldsMoreThanFourTimesTheWritersNorSixteen() {
    InFlight near = new InFlight(2, () -> ms(100));
    near.took(ms(101));
    assertThat(near.window()).isEqualTo(8);
    InFlight many = new InFlight(16, () -> ms(100));
    many.took(ms(101));
    assertThat(many.window()).isEqualTo(16);
    assertThat(many.most()).isEqualTo(16);
  }

  /** No more writes on their way than the pool leaves them connections, far or near. */
  @Test
  void theWindowStaysWithinTheConnectionsLeftForWrites() {
    InFlight plenty = InFlight.within(2, 97, () -> ms(100));
    plenty.took(ms(101));
    assertThat(plenty.writers()).isEqualTo(2);
    assertThat(plenty.most()).isEqualTo(8);
    assertThat(plenty.window()).isEqualTo(8);

    InFlight few = InFlight.within(2, 5, () -> ms(100));
    few.took(ms(101));
    assertThat(few.most()).isEqualTo(5);
    assertThat(few.window()).isEqualTo(5);

    InFlight fewerThanTheWriters = InFlight.within(16, 1, () -> ms(100));
    fewerThanTheWriters.took(ms(101));
    assertThat(fewerThanTheWriters.writers()).isEqualTo(1);
    assertThat(fewerThanTheWriters.most()).isEqualTo(1);
    assertThat(fewerThanTheWriters.window()).isEqualTo(1);

    assertThatThrownBy(() -> InFlight.within(2, 0, () -> 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aServerSlowingDownUnderTheLoadNarrowsIt() {
    InFlight inFlight = new InFlight(2, () -> ms(100));
    inFlight.took(ms(160));
    assertThat(inFlight.window()).isEqualTo(5);
    for (int i = 0; i < 20; i++) {
      inFlight.took(ms(1_100)); // a second at the server: the network hardly counts
    }
    assertThat(inFlight.window()).isEqualTo(2);
  }

  @Test
  void noRoundTripKnownOrFixedLeavesTheWriters() {
    InFlight unknown = new InFlight(2, () -> 0);
    unknown.took(ms(160));
    assertThat(unknown.window()).isEqualTo(2);
    InFlight fixed = InFlight.fixed(3);
    fixed.took(ms(160));
    assertThat(fixed.window()).isEqualTo(3);
    assertThat(fixed.most()).isEqualTo(3);
  }

  @Test
  void aWriteWaitsForRoomAndAStopEndsTheWait() throws Exception {
    InFlight inFlight = InFlight.fixed(1);
    inFlight.acquire(() -> false);
    CountDownLatch second = new CountDownLatch(1);
    Thread waiting =
        new Thread(
            () -> {
              inFlight.acquire(() -> false);
              second.countDown();
            });
    waiting.start();
    assertThat(second.await(200, TimeUnit.MILLISECONDS)).isFalse();
    inFlight.release();
    assertThat(second.await(10, TimeUnit.SECONDS)).isTrue();

    AtomicBoolean stopped = new AtomicBoolean();
    CountDownLatch third = new CountDownLatch(1);
    Thread stopping =
        new Thread(
            () -> {
              inFlight.acquire(stopped::get);
              third.countDown();
            });
    stopping.start();
    assertThat(third.await(200, TimeUnit.MILLISECONDS)).isFalse();
    stopped.set(true);
    assertThat(third.await(10, TimeUnit.SECONDS)).isTrue();
  }
}
