package app.achievements.run;

import java.time.Duration;
import java.util.Objects;

/**
 * How one run behaves.
 *
 * @param dryRun read and convert everything, write nothing
 * @param batchSize users per page read and per bulk write
 * @param assumeYes skip the confirmation prompt
 * @param progressInterval least time between two progress lines
 * @param examples how many before → after examples a dry run shows
 * @param writers how many bulk writes may be under way at once
 */
public record MigrationOptions(
    boolean dryRun,
    int batchSize,
    boolean assumeYes,
    Duration progressInterval,
    int examples,
    int writers) {

  public static final int MIN_BATCH_SIZE = 1;
  public static final int MAX_BATCH_SIZE = 100_000;
  public static final int DEFAULT_BATCH_SIZE = 1000;
  public static final int MIN_WRITERS = 1;
  public static final int MAX_WRITERS = 16;
  public static final int DEFAULT_WRITERS = 2;
  public static final Duration DEFAULT_PROGRESS_INTERVAL = Duration.ofSeconds(5);

  /** A progress interval that never passes: no progress lines. */
  public static final Duration NO_PROGRESS = Duration.ofSeconds(Long.MAX_VALUE);

  public MigrationOptions {
    if (batchSize < MIN_BATCH_SIZE || batchSize > MAX_BATCH_SIZE) {
      throw new IllegalArgumentException(
          "batch size must be " + MIN_BATCH_SIZE + " to " + MAX_BATCH_SIZE + ": " + batchSize);
    }
    Objects.requireNonNull(progressInterval, "progressInterval");
    if (progressInterval.isNegative()) {
      throw new IllegalArgumentException("progressInterval < 0");
    }
    if (examples < 0) {
      throw new IllegalArgumentException("examples < 0");
    }
    if (writers < MIN_WRITERS || writers > MAX_WRITERS) {
      throw new IllegalArgumentException(
          "writers must be " + MIN_WRITERS + " to " + MAX_WRITERS + ": " + writers);
    }
  }

  /** The defaults of the command line: a real run that asks first. */
  public static MigrationOptions defaults() {
    return new MigrationOptions(
        false, DEFAULT_BATCH_SIZE, false, DEFAULT_PROGRESS_INTERVAL, 3, DEFAULT_WRITERS);
  }

  public MigrationOptions withDryRun(boolean dryRun) {
    return new MigrationOptions(dryRun, batchSize, assumeYes, progressInterval, examples, writers);
  }

  public MigrationOptions withBatchSize(int batchSize) {
    return new MigrationOptions(dryRun, batchSize, assumeYes, progressInterval, examples, writers);
  }

  public MigrationOptions withAssumeYes(boolean assumeYes) {
    return new MigrationOptions(dryRun, batchSize, assumeYes, progressInterval, examples, writers);
  }

  public MigrationOptions withProgressInterval(Duration progressInterval) {
    return new MigrationOptions(dryRun, batchSize, assumeYes, progressInterval, examples, writers);
  }

  public MigrationOptions withExamples(int examples) {
    return new MigrationOptions(dryRun, batchSize, assumeYes, progressInterval, examples, writers);
  }

  public MigrationOptions withWriters(int writers) {
    return new MigrationOptions(dryRun, batchSize, assumeYes, progressInterval, examples, writers);
  }
}
