package app.achievements.run;

import java.time.Duration;

/** Hears how far a run has got, after every page; decides itself how often to show it. */
public interface ProgressListener {

  /**
   * Where a run stands.
   *
   * @param processed eligible users processed so far
   * @param expected the eligible count when it was counted beforehand, else -1
   * @param migrated users migrated so far
   * @param rejected users rejected so far
   * @param failed users whose write failed so far
   * @param elapsed time since the run began writing
   */
  record Snapshot(
      long processed, long expected, long migrated, long rejected, long failed, Duration elapsed) {

    /** Users processed per second, or -1 before any time has passed. */
    public long perSecond() {
      long millis = elapsed.toMillis();
      return millis == 0 ? -1 : processed * 1000 / millis;
    }
  }

  /** Shows nothing. */
  ProgressListener NONE = snapshot -> {};

  void progress(Snapshot snapshot);

  /** The run is over: a listener that draws something finishes it here. */
  default void done() {}
}
