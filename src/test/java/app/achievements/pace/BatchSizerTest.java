package app.achievements.pace;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code --batch-time}: the batch size follows the server, within its bounds. */
class BatchSizerTest {

  /** A server that takes {@code perUser} for each user of a bulk write, plus a fixed cost. */
  private static Duration cost(int users, Duration perUser) {
    return perUser.multipliedBy(users).plusMillis(5);
  }

  @Test
  void convergesOnTheTargetTimeAndFollowsTheServerWhenItSlowsDown() {
    BatchSizer sizer = new BatchSizer(100_000, Duration.ofMillis(500));
    assertThat(sizer.next()).isEqualTo(BatchSizer.START);
    Duration fast = Duration.ofNanos(100_000); // 0.1 ms a user: 500 ms is about 4950 users
    List<Integer> sizes = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      int size = sizer.next();
      sizes.add(size);
      sizer.written(size, cost(size, fast));
    }
    // grows at most twofold a batch: 100, 200, 400, …
    assertThat(sizes.subList(0, 4)).containsExactly(100, 200, 400, 800);
    assertThat(sizer.next()).isBetween(4700, 5000);
    Duration slow = Duration.ofMillis(1); // ten times slower: about 495 users
    for (int i = 0; i < 30; i++) {
      int size = sizer.next();
      sizer.written(size, cost(size, slow));
    }
    assertThat(sizer.next()).isBetween(470, 520);
  }

  @Test
  void staysWithinTenAndTheBatchSize() {
    BatchSizer sizer = new BatchSizer(1000, Duration.ofMillis(500));
    for (int i = 0; i < 20; i++) {
      sizer.written(sizer.next(), Duration.ofNanos(1)); // a server that costs nothing
    }
    assertThat(sizer.next()).isEqualTo(1000);
    for (int i = 0; i < 50; i++) {
      sizer.written(sizer.next(), Duration.ofSeconds(60)); // one that crawls
    }
    assertThat(sizer.next()).isEqualTo(BatchSizer.FLOOR);
    assertThat(new BatchSizer(3, Duration.ofMillis(500)).next()).isEqualTo(3);
  }

  @Test
  void halvesAfterATransientErrorNotBelowTen() {
    BatchSizer sizer = new BatchSizer(1000, Duration.ofMillis(500));
    for (int i = 0; i < 20; i++) {
      sizer.written(sizer.next(), Duration.ofNanos(1));
    }
    sizer.transientError();
    assertThat(sizer.next()).isEqualTo(500);
    sizer.transientError();
    assertThat(sizer.next()).isEqualTo(250);
    for (int i = 0; i < 10; i++) {
      sizer.transientError();
    }
    assertThat(sizer.next()).isEqualTo(10);
  }

  @Test
  void withoutATargetTheSizeIsTheBatchSizeWhateverHappens() {
    BatchSizer sizer = new BatchSizer(1000, Duration.ZERO);
    assertThat(sizer.adaptive()).isFalse();
    sizer.written(1000, Duration.ofSeconds(30));
    sizer.transientError();
    assertThat(sizer.next()).isEqualTo(1000);
    sizer.setMax(250); // set --batch-size 250
    assertThat(sizer.next()).isEqualTo(250);
    sizer.setMax(5000);
    assertThat(sizer.next()).isEqualTo(5000);
  }

  @Test
  void aSmallerMaximumTakesEffectAtOnce() {
    BatchSizer sizer = new BatchSizer(10_000, Duration.ofMillis(500));
    for (int i = 0; i < 20; i++) {
      sizer.written(sizer.next(), Duration.ofNanos(1));
    }
    assertThat(sizer.next()).isEqualTo(10_000);
    sizer.setMax(300);
    assertThat(sizer.next()).isEqualTo(300);
  }
}
