package app.achievements.cli;

import app.achievements.cli.OutputOptions.Reported;
import app.achievements.run.MigrationOptions;
import app.achievements.run.MigrationResult;
import app.achievements.run.MigrationRunner;
import app.achievements.run.Progress;
import app.achievements.run.ProgressListener;
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
          "Bulk writes under way at once, 1 to 16 (default: ${DEFAULT-VALUE}). One thread reads"
              + " and converts ahead of them.")
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
    PrintWriter human = output.human();
    Reported<MigrationResult> run =
        output.reporting(
            report -> {
              try (MongoClient client = writing.connect(connection, human)) {
                return new MigrationRunner(
                        writing
                            .setup(
                                connection,
                                retrying,
                                client,
                                human,
                                options,
                                report,
                                "migrate",
                                output.lastWords("migrate"))
                            .progress(progress(human))
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

  /** A bar on a terminal, plain lines at most every 5 s elsewhere, nothing with --quiet. */
  private ProgressListener progress(PrintWriter human) {
    if (output.quiet) {
      return ProgressListener.NONE;
    }
    return context.terminal()
        ? new TerminalProgress(spec.commandLine().getErr(), TERMINAL_WIDTH)
        : new Progress(human, Progress.DEFAULT_INTERVAL);
  }

  static final int TERMINAL_WIDTH = 100;

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
