package app.achievements.cli;

import app.achievements.store.Retry;
import java.time.Duration;
import java.util.Random;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * How a step that failed for a transient reason is tried again: {@code --max-retries}, {@code
 * --retry-timeout}. For every command that reads or writes the users once it has connected.
 */
final class RetryOptions {

  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  @Option(
      names = "--max-retries",
      paramLabel = "N",
      defaultValue = "8",
      description =
          "Retries of a read or write that failed for a transient reason (network, failover,"
              + " timeout), with exponential backoff and jitter (default: ${DEFAULT-VALUE}).")
  int maxRetries;

  @Option(
      names = "--retry-timeout",
      paramLabel = "SECONDS",
      defaultValue = "120",
      description =
          "Give up retrying one step after this long; then the run stops, exit 1 (default:"
              + " ${DEFAULT-VALUE}).")
  int retryTimeout;

  /** Usage errors for values out of range. */
  void check() {
    if (maxRetries < 0 || maxRetries > 100) {
      throw new ParameterException(
          spec.commandLine(), "--max-retries must be 0 to 100, not " + maxRetries);
    }
    if (retryTimeout < 0 || retryTimeout > 86_400) {
      throw new ParameterException(
          spec.commandLine(), "--retry-timeout must be 0 to 86400 seconds, not " + retryTimeout);
    }
  }

  /** The retry of these options, sleeping with {@code sleeper}. */
  Retry retry(Retry.Sleeper sleeper) {
    return new Retry(maxRetries, Duration.ofSeconds(retryTimeout), sleeper, new Random());
  }
}
