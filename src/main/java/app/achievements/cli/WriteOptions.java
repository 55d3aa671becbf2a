package app.achievements.cli;

import app.achievements.migration.MigrationOptions;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The options of the commands that write: {@code --dry-run}, {@code --batch-size}, {@code --yes}.
 */
final class WriteOptions {

  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  @Option(
      names = "--dry-run",
      description = "Read and check everything, report what a run would do, write nothing.")
  boolean dryRun;

  @Option(
      names = "--batch-size",
      paramLabel = "N",
      defaultValue = "" + MigrationOptions.DEFAULT_BATCH_SIZE,
      description =
          "Users per page read and per bulk write, 1 to 100000 (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(names = "--yes", description = "Do not ask for confirmation (for scripts).")
  boolean yes;

  /** The run's options; a batch size out of range is a usage error. */
  MigrationOptions options(boolean quiet) {
    if (batchSize < MigrationOptions.MIN_BATCH_SIZE
        || batchSize > MigrationOptions.MAX_BATCH_SIZE) {
      throw new ParameterException(
          spec.commandLine(),
          "--batch-size must be "
              + MigrationOptions.MIN_BATCH_SIZE
              + " to "
              + MigrationOptions.MAX_BATCH_SIZE
              + ", not "
              + batchSize);
    }
    MigrationOptions options =
        MigrationOptions.defaults().withDryRun(dryRun).withBatchSize(batchSize).withAssumeYes(yes);
    return quiet ? options.withProgressInterval(MigrationOptions.NO_PROGRESS) : options;
  }
}
