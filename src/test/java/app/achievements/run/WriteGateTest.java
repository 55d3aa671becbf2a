package app.achievements.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.achievements.store.LockHeldException;
import app.achievements.store.RunJournal;
import app.achievements.store.RunStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The last check before every send, with a journal and a clock that the test controls. */
@Timeout(30)
class WriteGateTest {

  private final StopSignal stop = new StopSignal();
  private final AtomicReference<RunJournal.Lease> lease =
      new AtomicReference<>(RunJournal.Lease.HELD);
  private final AtomicLong ticker = new AtomicLong();

  private final RunJournal journal =
      new RunJournal() {
        @Override
        public void begin(Instant runStart, LeaseListener listener) {}

        @Override
        public Lease lease() {
          // every look at an unconfirmed lease takes half a minute of the test's time
          if (lease.get() == Lease.UNCONFIRMED) {
            ticker.addAndGet(Duration.ofSeconds(30).toNanos());
          }
          return lease.get();
        }

        @Override
        public void end(RunStatus status, Map<String, Long> counts) {}
      };

  private final WriteGate gate =
      new WriteGate(stop, journal, Duration.ofSeconds(120), "app.users", ticker::get);

  @Test
  void aHeldLeaseLetsTheWriteGo() {
    gate.beforeSend();
    assertThat(stop.requested()).isFalse();
  }

  @Test
  void aStoppedRunSendsNothing() {
    stop.request();
    assertThatThrownBy(gate::beforeSend).isInstanceOf(RunInterruptedException.class);
  }

  @Test
  void aLostLockStopsTheRun() {
    lease.set(RunJournal.Lease.LOST);
    assertThatThrownBy(gate::beforeSend)
        .isInstanceOf(LockHeldException.class)
        .hasMessage(
            "this run lost its lock on app.users (another run took it over, or it was released);"
                + " stopped");
    assertThat(stop.reason()).isEqualTo(StopSignal.Reason.LOCK_LOST);
  }

  @Test
  void anUnconfirmedLeaseHoldsTheWriteUntilARenewalConfirmsIt() throws Exception {
    lease.set(RunJournal.Lease.UNCONFIRMED);
    Thread writer = new Thread(gate::beforeSend);
    writer.start();
    assertThat(writer.isAlive()).isTrue();

    lease.set(RunJournal.Lease.HELD); // a renewal got through

    writer.join(10_000);
    assertThat(writer.isAlive()).isFalse();
    assertThat(stop.requested()).isFalse();
  }

  @Test
  void aLeaseUnconfirmedForTooLongStopsTheRunBeforeItCouldLapse() {
    lease.set(RunJournal.Lease.UNCONFIRMED);
    assertThatThrownBy(gate::beforeSend)
        .isInstanceOf(LockHeldException.class)
        .hasMessage(
            "this run could not renew its lock on app.users for 120 s (the server is out of"
                + " reach); stopped before its lease could lapse");
    assertThat(stop.reason()).isEqualTo(StopSignal.Reason.LOCK_LOST);
  }

  @Test
  void aStopEndsTheWaitForAnUnconfirmedLease() throws Exception {
    lease.set(RunJournal.Lease.UNCONFIRMED);
    WriteGate patient =
        new WriteGate(stop, journal, Duration.ofDays(365_000), "app.users", () -> 0);
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    Thread writer =
        new Thread(
            () -> {
              try {
                patient.beforeSend();
              } catch (RuntimeException e) {
                thrown.set(e);
              }
            });
    writer.start();

    stop.request();

    writer.join(10_000);
    assertThat(writer.isAlive()).isFalse();
    assertThat(thrown.get()).isInstanceOf(RunInterruptedException.class);
  }
}
