package app.achievements.cli;

import app.achievements.cli.OutputOptions.Reported;
import app.achievements.pace.PaceOptions;
import app.achievements.run.MigrationOptions;
import app.achievements.run.MigrationResult;
import app.achievements.run.MigrationRunner;
import com.mongodb.client.MongoClient;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code migrate.jar [options]}: gives every eligible user {@code achievements_v2}. */
@Command(
    name = "migrate.jar",
    mixinStandardHelpOptions = true,
    versionProvider = ManifestVersionProvider.class,
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = {
      "Gives every user with legacy `achievements` the new `achievements_v2` array"
          + " ({achievementId, unlockedAt}, stamped from createdAt), safely beside a live"
          + " application. Asks for YES before the first write.",
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {})
final class MigrateCommand implements Callable<Integer> {

  static final int MAX_SHOW = 1000;

  @Spec CommandSpec spec;

  @Mixin ConnectionOptions connection;

  @Mixin WriteOptions writing;

  @Mixin PacingOptions pacing;

  @Mixin RetryOptions retrying;

  @Option(
      names = "--show",
      paramLabel = "N",
      defaultValue = "3",
      description =
          "Before -> after examples a dry run shows, one of each note and reason first (default:"
              + " ${DEFAULT-VALUE}).")
  int show;

  @Option(
      names = "--writers",
      paramLabel = "N",
      defaultValue = "" + MigrationOptions.DEFAULT_WRITERS,
      description =
          "Bulk writes the server applies at once, 1 to 16 (default: ${DEFAULT-VALUE}); far from"
              + " it, up to 4 times as many are on their way so that it still does. One thread"
              + " reads and converts ahead of them.")
  int writers;

  @Mixin OutputOptions output;

  @Mixin LoggingOptions logging;

  private final Context context;

  MigrateCommand(Context context) {
    this.context = context;
  }

  @Override
  public Integer call() {
    logging.apply();
    MigrationOptions options = options();
    PaceOptions pace = pacing.options();
    PrintWriter human = output.human();
    Reported<MigrationResult> run =
        output.reporting(
            report -> {
              try (MongoClient client =
                  writing.connect(connection, human, options.writers(), options.dryRun())) {
                return new MigrationRunner(
                        writing
                            .setup(
                                connection,
                                retrying,
                                pace,
                                client,
                                human,
                                options,
                                report,
                                "migrate",
                                output.lastWords("migrate"))
                            .progress(output.progress(context.terminal()))
                            .build())
                    .run();
              }
            });
    int exitCode =
        ErrorHandler.finish(
            spec.commandLine().getErr(), run.result(), run.reportError(), logging.verbose());
    output.answer(SummaryJson.of("migrate", run.result(), exitCode, run.reportError()));
    return exitCode;
  }

  private MigrationOptions options() {
    if (show < 0 || show > MAX_SHOW) {
      throw new ParameterException(
          spec.commandLine(), "--show must be 0 to " + MAX_SHOW + ", not " + show);
    }
    if (writers < MigrationOptions.MIN_WRITERS || writers > MigrationOptions.MAX_WRITERS) {
      throw new ParameterException(
          spec.commandLine(),
          "--writers must be "
              + MigrationOptions.MIN_WRITERS
              + " to "
              + MigrationOptions.MAX_WRITERS
              + ", not "
              + writers);
    }
    retrying.check();
    return writing.options(connection).withExamples(show).withWriters(writers);
  }
}
