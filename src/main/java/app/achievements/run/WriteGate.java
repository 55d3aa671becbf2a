package app.achievements.run;

import app.achievements.store.RunJournal;
import java.time.Duration;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every write of a run passes just before it is sent, each attempt of it included: no write
 * once the run is stopped or has lost its lock, and none while its lease is not confirmed (the
 * server has been out of reach for so long that the lease could lapse). A lease that stays
 * unconfirmed for {@code maxWait} stops the run.
 */
final class WriteGate {

  /** How often an unconfirmed lease is looked at again. */
  static final Duration LEASE_POLL = Duration.ofMillis(250);

  private static final Logger log = LoggerFactory.getLogger(WriteGate.class);

  private final StopSignal stop;
  private final RunJournal journal;
  private final LongSupplier nanoTime;
  private final Duration maxWait;
  private final String namespace;

  WriteGate(StopSignal stop, RunJournal journal, Duration maxWait, String namespace) {
    this(stop, journal, maxWait, namespace, System::nanoTime);
  }

  /** As above, measuring the wait on {@code nanoTime} (tests: a fake). */
  WriteGate(
      StopSignal stop,
      RunJournal journal,
      Duration maxWait,
      String namespace,
      LongSupplier nanoTime) {
    this.stop = stop;
    this.journal = journal;
    this.nanoTime = nanoTime;
    this.maxWait = maxWait;
    this.namespace = namespace;
  }

  /** Returns when a write may be sent now; throws what ends the run when none may be, ever. */
  void beforeSend() {
    Long waitingSince = null;
    while (true) {
      stop.throwIfRequested();
      switch (journal.lease()) {
        case HELD:
          return;
        case LOST:
          stop.request(
              StopSignal.Reason.LOCK_LOST,
              "this run lost its lock on "
                  + namespace
                  + " (another run took it over, or it was released); stopped");
          break;
        case UNCONFIRMED:
          long now = nanoTime.getAsLong();
          if (waitingSince == null) {
            waitingSince = now;
            log.warn("The lock on {} could not be renewed lately: writes wait", namespace);
          } else if (now - waitingSince > maxWait.toNanos()) {
            stop.request(
                StopSignal.Reason.LOCK_LOST,
                "this run could not renew its lock on "
                    + namespace
                    + " for "
                    + maxWait.toSeconds()
                    + " s (the server is out of reach); stopped before its lease could lapse");
            break;
          }
          stop.sleep(LEASE_POLL);
          break;
      }
    }
  }
}
