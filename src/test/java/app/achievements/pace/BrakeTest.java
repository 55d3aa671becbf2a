package app.achievements.pace;

import static org.assertj.core.api.Assertions.assertThat;

import app.achievements.store.LagReading;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What holds writes back, with a fake clock and fake lag readings. */
class BrakeTest {

  private final AtomicLong nanos = new AtomicLong();
  private final List<String> said = new ArrayList<>();

  private Brake brake(Path pauseFile, Duration maxLag) {
    Brake brake = new Brake(pauseFile, maxLag, Duration.ofSeconds(5), nanos::get, new Random(7));
    brake.onChange(said::add);
    return brake;
  }

  private void advance(Duration duration) {
    nanos.addAndGet(duration.toNanos());
  }

  private static LagReading lag(double seconds) {
    return new LagReading.Measured(Duration.ofMillis((long) (seconds * 1000)), "h2:27017");
  }

  @Test
  void pausesOverTheLimitAndGoesOnUnderIt() {
    Brake brake = brake(null, Duration.ofSeconds(10));
    brake.lag(lag(0.4));
    assertThat(brake.check()).isNull();
    brake.lag(lag(14.2));
    assertThat(brake.check())
        .isEqualTo(new Brake.Hold(Brake.Kind.LAG_OVER, "paused: lag 14.2 s > 10 s (h2:27017)"));
    brake.lag(lag(10));
    assertThat(brake.check()).isNull(); // at the limit is not over it
    assertThat(said).containsExactly("Paused: lag 14.2 s > 10 s (h2:27017).", "Writing again.");
  }

  @Test
  void staysPausedWhileTheLagIsUnknownUnreadableOrStaleNeverReadingItAsZero() {
    Brake brake = brake(null, Duration.ofSeconds(10));
    assertThat(brake.hold().reason())
        .isEqualTo("paused: the replication lag has not been read yet");
    brake.lag(new LagReading.Unknown("h2:27017 is not reachable ((not reachable/healthy))"));
    assertThat(brake.hold())
        .isEqualTo(
            new Brake.Hold(
                Brake.Kind.LAG_UNKNOWN,
                "paused: lag unknown (h2:27017 is not reachable ((not reachable/healthy)))"));
    brake.lag(new LagReading.Unreadable("this user may not run replSetGetStatus"));
    assertThat(brake.hold().kind()).isEqualTo(Brake.Kind.LAG_UNKNOWN);
    brake.lag(lag(1));
    assertThat(brake.hold()).isNull();
    advance(Duration.ofSeconds(5)); // as old as it may be
    assertThat(brake.hold()).isNull();
    advance(Duration.ofMillis(1));
    assertThat(brake.hold())
        .isEqualTo(
            new Brake.Hold(Brake.Kind.LAG_UNKNOWN, "paused: lag unknown (no reading for 5 s)"));
  }

  @Test
  void aStandaloneOrALagLimitOfZeroChecksNothing() {
    Brake standalone = brake(null, Duration.ofSeconds(10));
    standalone.lag(new LagReading.Standalone());
    advance(Duration.ofHours(1));
    assertThat(standalone.hold()).isNull();

    Brake off = brake(null, Duration.ZERO);
    assertThat(off.hold()).isNull(); // nothing read, and no wait for it
    off.lag(lag(3600));
    assertThat(off.hold()).isNull();
    off.setMaxLag(Duration.ofSeconds(1));
    assertThat(off.hold().kind()).isEqualTo(Brake.Kind.LAG_OVER);
  }

  @Test
  void theOperatorsPauseComesFirstAndResumeEndsIt(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("pause");
    Brake brake = brake(file, Duration.ofSeconds(10));
    brake.lag(lag(30));
    Files.createFile(file);
    assertThat(brake.hold().kind()).isEqualTo(Brake.Kind.PAUSE_FILE);
    assertThat(brake.hold().reason()).isEqualTo("paused: " + file + " exists (--pause-file)");
    brake.pause("pause from alice@bastion (pid 42)");
    assertThat(brake.hold())
        .isEqualTo(
            new Brake.Hold(Brake.Kind.PAUSED, "paused by pause from alice@bastion (pid 42)"));
    brake.resume();
    Files.delete(file);
    assertThat(brake.hold().kind()).isEqualTo(Brake.Kind.LAG_OVER);
    brake.lag(lag(0));
    assertThat(brake.hold()).isNull();
  }

  @Test
  void anOverloadHoldsEveryWriteForABackoffThatDoublesUntilAWriteGoesThrough() {
    Brake brake = brake(null, Duration.ZERO);
    List<Duration> backoffs = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      backoffs.add(brake.overloaded("the server is overloaded (error 462)"));
    }
    // half of each is random: between half the cap and the cap, the cap doubling from 0.5 s to 30 s
    long[] caps = {500, 1000, 2000, 4000, 8000, 16000, 30000, 30000};
    for (int i = 0; i < caps.length; i++) {
      assertThat(backoffs.get(i).toMillis()).isBetween(caps[i] / 2, caps[i]);
    }
    assertThat(brake.hold())
        .isEqualTo(
            new Brake.Hold(
                Brake.Kind.OVERLOADED, "backing off: the server is overloaded (error 462)"));
    advance(Duration.ofSeconds(30));
    assertThat(brake.hold()).isNull();
    brake.recovered();
    assertThat(brake.overloaded("again").toMillis()).isBetween(250L, 500L);
  }

  @Test
  void aPauseIsPausingWhileAWriteIsOnTheWireAndPausedOnceNoneIs() throws Exception {
    Brake brake = brake(null, Duration.ZERO);
    assertThat(brake.state()).isEqualTo(new Brake.State("running", null));
    List<Brake.State> during = new ArrayList<>();
    String sent =
        brake.whileGoing(
            d -> {
              throw new AssertionError("nothing holds it back: no wait");
            },
            () -> {
              brake.pause("pause from bob@laptop (pid 7)");
              during.add(brake.state());
              return "sent";
            });
    assertThat(sent).isEqualTo("sent");
    assertThat(during)
        .containsExactly(new Brake.State("pausing", "paused by pause from bob@laptop (pid 7)"));
    assertThat(brake.state())
        .isEqualTo(new Brake.State("paused", "paused by pause from bob@laptop (pid 7)"));
  }

  @Test
  void aHeldWriteWaitsUntilTheHoldEndsAndIsNotSentMeanwhile() {
    Brake brake = brake(null, Duration.ofSeconds(10));
    brake.lag(lag(20));
    List<Duration> waits = new ArrayList<>();
    List<String> sent = new ArrayList<>();
    brake.whileGoing(
        wait -> {
          waits.add(wait);
          assertThat(sent).isEmpty();
          if (waits.size() == 3) {
            brake.lag(lag(2)); // the monitor's next reading
          }
        },
        () -> sent.add("batch"));
    assertThat(waits).containsExactly(Brake.POLL, Brake.POLL, Brake.POLL);
    assertThat(sent).containsExactly("batch");
    assertThat(said).containsExactly("Paused: lag 20 s > 10 s (h2:27017).");
  }
}
