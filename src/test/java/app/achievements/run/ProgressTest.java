package app.achievements.run;

import static org.assertj.core.api.Assertions.assertThat;

import app.achievements.pace.Brake;
import app.achievements.pace.PaceState;
import app.achievements.store.LagReading;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The plain progress line says why writes wait, and the lag and batch size worth knowing. */
class ProgressTest {

  private static ProgressListener.Snapshot snapshot(PaceState pace, long expected) {
    return new ProgressListener.Snapshot(
        ProgressListener.Labels.MIGRATE,
        400,
        expected,
        390,
        10,
        0,
        Duration.ofSeconds(2),
        200,
        pace);
  }

  @Test
  void aHeldRunSaysWhyWithTheLagAndTheAdaptiveBatchSize() {
    PaceState held =
        new PaceState(
            true,
            250,
            1000,
            0,
            Duration.ofSeconds(10),
            new LagReading.Measured(Duration.ofMillis(14200), "db2:27017"),
            new Brake.State("paused", "paused: lag 14.2 s > 10 s (db2:27017)"));
    assertThat(Progress.line(snapshot(held, 1000)))
        .isEqualTo(
            "400/1000 eligible users processed (390 migrated, 10 rejected, 0 failed), 200 users/s,"
                + " ETA 3 s; batch 250; lag 14.2 s; paused: lag 14.2 s > 10 s (db2:27017)");
  }

  @Test
  void aRunThatGoesWithNothingToSayOfItsPaceSaysNothingOfIt() {
    PaceState quiet =
        new PaceState(
            false,
            1000,
            1000,
            0,
            Duration.ofSeconds(10),
            new LagReading.Standalone(),
            new Brake.State("running", null));
    assertThat(Progress.line(snapshot(quiet, -1)))
        .isEqualTo(
            "400 eligible users processed (390 migrated, 10 rejected, 0 failed), 200 users/s");
  }
}
