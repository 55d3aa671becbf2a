package app.achievements.pace;

import app.achievements.store.LagReading;
import java.time.Duration;

/**
 * Where a run's pace stands, for people and for {@code status}: whether the batch size follows the
 * server ({@code --batch-time}), the next batch's size and the most it may be, the rate limit (0:
 * none), the lag limit (zero: not checked), the latest lag reading (null before the first), and
 * whether writes go.
 */
public record PaceState(
    boolean adaptive,
    int batchSize,
    int maxBatchSize,
    double maxRate,
    Duration maxLag,
    LagReading lag,
    Brake.State writes) {

  /**
   * The lag worth showing beside progress ({@code 0.4 s}, {@code unknown}), or null: when it is not
   * checked, not read yet, or the server is a standalone.
   */
  public String shownLag() {
    boolean told = lag instanceof LagReading.Measured || lag instanceof LagReading.Unknown;
    return !maxLag.isZero() && told ? lagText() : null;
  }

  /** The lag as people read it: {@code 0.4 s}, {@code unknown}, {@code off}, or null if unread. */
  public String lagText() {
    if (maxLag.isZero()) {
      return "off";
    }
    if (lag == null) {
      return null;
    }
    if (lag instanceof LagReading.Measured measured) {
      return Brake.seconds(measured.lag());
    }
    return lag instanceof LagReading.Standalone ? "off (standalone)" : "unknown";
  }
}
