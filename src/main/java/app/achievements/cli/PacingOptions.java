package app.achievements.cli;

import app.achievements.pace.PaceOptions;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * How a run that writes keeps the live application healthy: {@code --max-rate}, {@code --max-lag},
 * {@code --check-interval}, {@code --batch-time}, {@code --pause-file}, {@code --stop-after}. For
 * migrate and rollback.
 */
final class PacingOptions {

  static final double MAX_LAG_LIMIT = 86_400;
  static final Duration MIN_CHECK_INTERVAL = Duration.ofMillis(100);
  static final Duration MAX_CHECK_INTERVAL = Duration.ofSeconds(60);
  static final int MAX_BATCH_TIME = 60_000;

  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  @Option(
      names = "--max-rate",
      paramLabel = "USERS_PER_SECOND",
      defaultValue = "0",
      description = "Write at most this many users per second; 0: no limit (default).")
  double maxRate;

  @Option(
      names = "--max-lag",
      paramLabel = "SECONDS",
      defaultValue = "10",
      description =
          "No new batch while a secondary lags the primary by more (replSetGetStatus; needs the"
              + " clusterMonitor role), nor while the lag cannot be read; 0: not checked"
              + " (default: ${DEFAULT-VALUE}).")
  double maxLag;

  @Option(
      names = "--check-interval",
      paramLabel = "DURATION",
      defaultValue = "1s",
      description =
          "How often the lag, pause, resume and set are looked at, 100ms to 60s (default:"
              + " ${DEFAULT-VALUE}).")
  String checkInterval;

  @Option(
      names = "--batch-time",
      paramLabel = "MILLIS",
      defaultValue = "0",
      description =
          "Let the batch size follow the server so that a bulk write takes about this long"
              + " (between 10 and --batch-size users); 0: a fixed --batch-size (default).")
  int batchTime;

  @Option(
      names = "--pause-file",
      paramLabel = "PATH",
      description = "No new batch while this file exists.")
  Path pauseFile;

  @Option(
      names = "--stop-after",
      paramLabel = "DURATION",
      description =
          "Stop cleanly before the next batch once this long has passed (90s, 30m, 2h, 1h30m):"
              + " summary, history 'stopped', exit 6; run again to continue.")
  String stopAfter;

  /** The options; a value out of range is a usage error. */
  PaceOptions options() {
    if (!(maxRate >= 0) || Double.isInfinite(maxRate)) {
      throw usage("--max-rate must be 0 (no limit) or more, not " + maxRate);
    }
    if (maxLagProblem(maxLag)) {
      throw usage("--max-lag must be 0 (not checked) or 0.001 to 86400 seconds, not " + maxLag);
    }
    Duration interval = Durations.parse(checkInterval);
    if (interval == null
        || interval.compareTo(MIN_CHECK_INTERVAL) < 0
        || interval.compareTo(MAX_CHECK_INTERVAL) > 0) {
      throw usage("--check-interval must be a duration from 100ms to 60s, not " + checkInterval);
    }
    if (batchTime != 0 && (batchTime < 10 || batchTime > MAX_BATCH_TIME)) {
      throw usage("--batch-time must be 0 (fixed batches) or 10 to 60000 ms, not " + batchTime);
    }
    Duration limit = null;
    if (stopAfter != null) {
      limit = Durations.parse(stopAfter);
      if (limit == null || limit.isZero() || limit.isNegative()) {
        throw usage(
            "--stop-after must be a positive duration such as 90s, 30m, 2h or 1h30m, not "
                + stopAfter);
      }
    }
    return PaceOptions.builder()
        .maxRate(maxRate)
        .maxLag(lag(maxLag))
        .checkInterval(interval)
        .batchTime(Duration.ofMillis(batchTime))
        .pauseFile(pauseFile)
        .stopAfter(limit)
        .build();
  }

  /**
   * Whether {@code seconds} is no limit a lag can have: below 0, above a day, or so small (under a
   * millisecond) that it would read as 0, the check turned off, rather than the strictest limit.
   */
  static boolean maxLagProblem(double seconds) {
    return !(seconds >= 0) || seconds > MAX_LAG_LIMIT || (seconds > 0 && seconds < 0.001);
  }

  /** {@code seconds} of lag as a duration, to the millisecond. */
  static Duration lag(double seconds) {
    return Duration.ofMillis(Math.round(seconds * 1000));
  }

  private ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }
}
