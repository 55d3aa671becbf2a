package app.achievements.pace;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How a run that writes keeps the live application healthy.
 *
 * @param maxRate users written per second at most; 0: no limit ({@code --max-rate})
 * @param maxLag no new batch while replication lags more ({@code --max-lag}); zero: not checked
 * @param checkInterval how often the lag and the operator's controls are read ({@code
 *     --check-interval})
 * @param batchTime the time a bulk write should take, the batch size following the server ({@code
 *     --batch-time}); zero: the batch size is fixed
 * @param pauseFile no new batch while this file exists ({@code --pause-file}); null: none
 * @param stopAfter the run stops cleanly, to be run again, once this long has passed since it began
 *     writing ({@code --stop-after}); null: no limit
 */
public record PaceOptions(
    double maxRate,
    Duration maxLag,
    Duration checkInterval,
    Duration batchTime,
    Path pauseFile,
    Duration stopAfter) {

  public static final Duration DEFAULT_MAX_LAG = Duration.ofSeconds(10);
  public static final Duration DEFAULT_CHECK_INTERVAL = Duration.ofSeconds(1);

  public PaceOptions {
    if (!(maxRate >= 0) || Double.isInfinite(maxRate)) {
      throw new IllegalArgumentException("maxRate must be 0 or more: " + maxRate);
    }
    if (maxLag.isNegative()) {
      throw new IllegalArgumentException("maxLag < 0");
    }
    if (checkInterval.isNegative() || checkInterval.isZero()) {
      throw new IllegalArgumentException("checkInterval must be positive");
    }
    if (batchTime.isNegative()) {
      throw new IllegalArgumentException("batchTime < 0");
    }
    if (stopAfter != null && (stopAfter.isNegative() || stopAfter.isZero())) {
      throw new IllegalArgumentException("stopAfter must be positive");
    }
  }

  /** Nothing holds a run back: no rate limit, no lag check, no pause file, no time limit. */
  public static PaceOptions none() {
    return builder().build();
  }

  /**
   * How old the last reading of the lag may be before it counts as unknown: three check intervals
   * and two seconds (the read itself may take a while on a slow network).
   */
  public Duration staleAfter() {
    return checkInterval.multipliedBy(3).plusSeconds(2);
  }

  /** Options built from {@link #none}, part by part. */
  public static Builder builder() {
    return new Builder();
  }

  /** The parts of {@link PaceOptions}, each starting as in {@link #none}. */
  public static final class Builder {
    private double maxRate;
    private Duration maxLag = Duration.ZERO;
    private Duration checkInterval = DEFAULT_CHECK_INTERVAL;
    private Duration batchTime = Duration.ZERO;
    private Path pauseFile;
    private Duration stopAfter;

    private Builder() {}

    public Builder maxRate(double maxRate) {
      this.maxRate = maxRate;
      return this;
    }

    public Builder maxLag(Duration maxLag) {
      this.maxLag = maxLag;
      return this;
    }

    public Builder checkInterval(Duration checkInterval) {
      this.checkInterval = checkInterval;
      return this;
    }

    public Builder batchTime(Duration batchTime) {
      this.batchTime = batchTime;
      return this;
    }

    public Builder pauseFile(Path pauseFile) {
      this.pauseFile = pauseFile;
      return this;
    }

    public Builder stopAfter(Duration stopAfter) {
      this.stopAfter = stopAfter;
      return this;
    }

    public PaceOptions build() {
      return new PaceOptions(maxRate, maxLag, checkInterval, batchTime, pauseFile, stopAfter);
    }
  }
}
