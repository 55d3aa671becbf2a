package app.achievements.run;

/**
 * How one run behaves.
 *
 * @param dryRun read and convert everything, write nothing
 * @param batchSize users per page read and per bulk write
 * @param assumeYes skip the confirmation prompt
 * @param examples how many before → after examples a dry run shows
 * @param writers how many bulk writes may be under way at once
 */
public record MigrationOptions(
    boolean dryRun, int batchSize, boolean assumeYes, int examples, int writers) {

  public static final int MIN_BATCH_SIZE = 1;
  public static final int MAX_BATCH_SIZE = 100_000;
  public static final int DEFAULT_BATCH_SIZE = 1000;
  public static final int MIN_WRITERS = 1;
  public static final int MAX_WRITERS = 16;
  public static final int DEFAULT_WRITERS = 2;

  public MigrationOptions {
    if (batchSize < MIN_BATCH_SIZE || batchSize > MAX_BATCH_SIZE) {
      throw new IllegalArgumentException(
          "batch size must be " + MIN_BATCH_SIZE + " to " + MAX_BATCH_SIZE + ": " + batchSize);
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
    return new MigrationOptions(false, DEFAULT_BATCH_SIZE, false, 3, DEFAULT_WRITERS);
  }

  public MigrationOptions withDryRun(boolean dryRun) {
    return new MigrationOptions(dryRun, batchSize, assumeYes, examples, writers);
  }

  public MigrationOptions withBatchSize(int batchSize) {
    return new MigrationOptions(dryRun, batchSize, assumeYes, examples, writers);
  }

  public MigrationOptions withAssumeYes(boolean assumeYes) {
    return new MigrationOptions(dryRun, batchSize, assumeYes, examples, writers);
  }

  public MigrationOptions withExamples(int examples) {
    return new MigrationOptions(dryRun, batchSize, assumeYes, examples, writers);
  }

  public MigrationOptions withWriters(int writers) {
    return new MigrationOptions(dryRun, batchSize, assumeYes, examples, writers);
  }
}
