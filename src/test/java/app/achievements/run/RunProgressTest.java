package app.achievements.run;

import static org.assertj.core.api.Assertions.assertThat;

import app.achievements.pace.Pace;
import app.achievements.support.TickingClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** While writes are held back, no rate and no ETA; after, the rate is measured afresh. */
class RunProgressTest {

  @Test
  void aHeldRunHasNoRateNorEtaAndItsRateStartsAfreshAfter() {
    Pace pace = Pace.none(100);
    List<ProgressListener.Snapshot> heard = new ArrayList<>();
    RunProgress progress =
        new RunProgress(
            heard::add,
            ProgressListener.Labels.MIGRATE,
            10_000,
            pace,
            new RunProgress.Counts() {
              @Override
              public long done() {
                return 0;
              }

              @Override
              public long failed() {
                return 0;
              }
            },
            new TickingClock(Instant.EPOCH, Duration.ofSeconds(1)));
    progress.add(1000, 0);
    progress.add(1000, 0);
    assertThat(heard.get(1).rate()).isEqualTo(1000);
    assertThat(heard.get(1).eta()).isEqualTo(Duration.ofSeconds(8));

    pace.brake().pause("pause from bob@laptop (pid 7)");
    progress.tick();
    progress.tick();
    assertThat(heard.get(3).rate()).isZero();
    assertThat(heard.get(3).eta()).isNull();

    pace.brake().resume();
    progress.add(500, 0);
    // a second after the pause: a rate from then on, not one that counts the pause
    assertThat(heard.get(4).recentPerSecond()).isEqualTo(500);
  }

  /**
   * The outcomes of a batch are counted under the progress's lock, with its users processed: a
   * snapshot, taken under that lock, never shows more migrated than processed.
   */
  @Test
  void aBatchsOutcomesAreCountedWithItsUsersProcessed() {
    long[] migrated = {0};
    List<ProgressListener.Snapshot> heard = new ArrayList<>();
    RunProgress[] progress = new RunProgress[1];
    progress[0] =
        new RunProgress(
            heard::add,
            ProgressListener.Labels.MIGRATE,
            10_000,
            Pace.none(100),
            new RunProgress.Counts() {
              @Override
              public long done() {
                return migrated[0];
              }

              @Override
              public long failed() {
                return 0;
              }
            },
            new TickingClock(Instant.EPOCH, Duration.ofSeconds(1)));
    List<Boolean> locked = new ArrayList<>();
    progress[0].add(
        1000,
        0,
        () -> {
          locked.add(Thread.holdsLock(progress[0]));
          migrated[0] += 1000;
        });
    assertThat(locked).containsExactly(true);
    assertThat(heard.get(0).processed()).isEqualTo(1000);
    assertThat(heard.get(0).migrated()).isEqualTo(1000);
  }
}
