package app.achievements.migration;

import java.util.Map;

/**
 * What a real run (never a dry run) records about itself and holds while it writes: the history
 * entry and the lock. The runner begins it after the confirmation and before the first write, asks
 * between batches whether it still holds the lock, and ends it with its status and counts.
 */
public interface RunJournal {

  /** Records nothing and holds nothing. */
  RunJournal NONE =
      new RunJournal() {
        @Override
        public void begin() {}

        @Override
        public boolean holdsLock() {
          return true;
        }

        @Override
        public void end(String status, Map<String, Long> counts) {}
      };

  /**
   * Takes the lock and records the run as {@code running}.
   *
   * @throws LockHeldException when another live run holds the lock
   */
  void begin();

  /** Whether this run still holds its lock (someone may have forced it away). */
  boolean holdsLock();

  /** Records the run's end ({@code completed}, {@code failed}, …) and releases the lock. */
  void end(String status, Map<String, Long> counts);
}
