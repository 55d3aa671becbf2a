package app.achievements.run;

import app.achievements.pace.PaceState;
import java.time.Duration;

/**
 * Hears how far a run has got, after every page and every check interval; decides itself how often
 * to show it.
 */
public interface ProgressListener {

  /**
   * What a run's counts are called: what it processes ({@code eligible users}), what it does to
   * them ({@code migrated}), and what it leaves as it is ({@code rejected}); {@code task} heads a
   * progress bar.
   */
  record Labels(String task, String processed, String done, String left) {
    public static final Labels MIGRATE =
        new Labels("Migrating", "eligible users", "migrated", "rejected");
    public static final Labels ROLLBACK =
        new Labels("Rolling back", "users as migrated", "rolled back", "kept");
  }

  /**
   * Where a run stands.
   *
   * @param labels what the counts are called
   * @param processed eligible users processed so far (for a rollback: users found as migrated)
   * @param expected the eligible count when it was counted beforehand, else -1
   * @param migrated users migrated so far (for a rollback: rolled back)
   * @param rejected users rejected so far (for a rollback: kept)
   * @param failed users whose write failed so far
   * @param elapsed time since the run began writing
   * @param recentPerSecond users processed per second over the last half minute or so, -1 before
   *     that can be told
   * @param pace the batch size, the limits, the lag and whether writes go
   */
  record Snapshot(
      Labels labels,
      long processed,
      long expected,
      long migrated,
      long rejected,
      long failed,
      Duration elapsed,
      long recentPerSecond,
      PaceState pace) {

    /** Users processed per second since the run began writing, or -1 before any time passed. */
    public long perSecond() {
      long millis = elapsed.toMillis();
      return millis == 0 ? -1 : processed * 1000 / millis;
    }

    /** The rate worth showing: the recent one, else the overall one; -1 when neither is known. */
    public long rate() {
      return recentPerSecond >= 0 ? recentPerSecond : perSecond();
    }

    /** How long the rest should take at the recent rate; null when that cannot be told. */
    public Duration eta() {
      long rate = rate();
      if (expected < 0 || rate <= 0) {
        return null;
      }
      return Duration.ofSeconds(Math.max(0, expected - processed) / rate);
    }
  }

  /** Shows nothing. */
  ProgressListener NONE = snapshot -> {};

  void progress(Snapshot snapshot);

  /** The run is over: a listener that draws something finishes it here. */
  default void done() {}
}
