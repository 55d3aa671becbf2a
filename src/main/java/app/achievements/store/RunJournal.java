package app.achievements.store;

import java.time.Instant;
import java.util.Map;
import org.bson.BsonDocument;

/**
 * What a real run (never a dry run) records about itself and holds while it writes: the history
 * entry and the lock. The runner begins it after the confirmation and before the first write, asks
 * before every write whether its lease still holds, and ends it with its status and counts.
 */
public interface RunJournal {

  /** Where this run stands with its lock. */
  enum Lease {
    /** Held, and confirmed recently enough that it cannot have lapsed: writes may go. */
    HELD,
    /**
     * Not renewed for so long that it could lapse soon (the server is out of reach): no write may
     * go until a renewal confirms it again.
     */
    UNCONFIRMED,
    /** Taken by another run, or released: this run must stop. */
    LOST
  }

  /** Hears, while the run works, that it can no longer count on its lock. */
  interface LeaseListener {
    /** Another run took the lock over, or it was released: {@code message} says which. */
    void lost(String message);

    /** The lease cannot be kept at all: its renewal died of {@code cause}. */
    void failed(String message, Throwable cause);

    /** Hears nothing: for a journal whose holder does not care (tests). */
    LeaseListener NONE =
        new LeaseListener() {
          @Override
          public void lost(String message) {}

          @Override
          public void failed(String message, Throwable cause) {}
        };
  }

  /** Records nothing and holds nothing. */
  RunJournal NONE =
      new RunJournal() {
        @Override
        public void begin(Instant runStart, LeaseListener listener) {}

        @Override
        public Lease lease() {
          return Lease.HELD;
        }

        @Override
        public void end(RunStatus status, Map<String, Long> counts) {}
      };

  /**
   * Takes the lock and records the run as {@code running}. From then on, {@code listener} hears of
   * a lease found lost, or one that cannot be kept.
   *
   * @param runStart the migration's last-resort {@code unlockedAt}, recorded so that verify and
   *     rollback can recognise it; null for a run that writes no {@code unlockedAt} (rollback)
   * @throws LockHeldException when another live run holds the lock
   */
  void begin(Instant runStart, LeaseListener listener);

  /** Where this run stands with its lock, now. */
  Lease lease();

  /** Records the run's end with {@code status} and {@code counts}, and releases the lock. */
  void end(RunStatus status, Map<String, Long> counts);

  /**
   * Publishes {@code status} beside the lock, with a heartbeat, and returns what operators asked of
   * the run ({@link RunControl#NONE} if nothing); null when the lock is no longer this run's (it
   * stops). One bounded operation.
   */
  default RunControl exchange(BsonDocument status) {
    return RunControl.NONE;
  }

  /** Records in the history entry that the run applied {@code applied} (a control it was sent). */
  default void recordControl(BsonDocument applied) {}
}
