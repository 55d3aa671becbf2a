package app.achievements.cli;

import app.achievements.cli.OutputOptions.Reported;
import app.achievements.pace.PaceOptions;
import app.achievements.run.MigrationOptions;
import app.achievements.run.RollbackResult;
import app.achievements.run.RollbackRunner;
import app.achievements.run.RunSetup;
import app.achievements.store.Retry;
import com.mongodb.client.MongoClient;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code migrate.jar rollback}: removes the migration's achievements_v2, and only that. */
@Command(
    name = "rollback",
    mixinStandardHelpOptions = true,
    versionProvider = ManifestVersionProvider.class,
    sortOptions = false,
    description = {
      "Removes achievements_v2 from every user whose value is exactly what a recorded run of the"
          + " migration wrote; any other achievements_v2 (changed since, or written by the"
          + " application) is kept and reported. Asks for YES first. Exit codes as for the"
          + " migration.",
    })
final class RollbackCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin ConnectionOptions connection;

  @Mixin WriteOptions writing;

  @Mixin PacingOptions pacing;

  @Mixin RetryOptions retrying;

  @Mixin OutputOptions output;

  @Mixin LoggingOptions logging;

  private final Context context;

  RollbackCommand(Context context) {
    this.context = context;
  }

  @Override
  public Integer call() {
    logging.apply();
    MigrationOptions options = writing.options(connection);
    PaceOptions pace = pacing.options();
    retrying.check();
    PrintWriter human = output.human();
    Reported<RollbackResult> run =
        output.reporting(
            report -> {
              try (MongoClient client = writing.connect(connection, human, 1, options.dryRun())) {
                RunSetup setup =
                    writing
                        .setup(
                            connection,
                            retrying,
                            pace,
                            client,
                            human,
                            options,
                            report,
                            "rollback",
                            output.lastWords("rollback"))
                        .progress(output.progress(context.terminal()))
                        .build();
                Set<Instant> runStarts =
                    retrying
                        .retry(Retry.Sleeper.REAL)
                        .call(
                            "reading the history",
                            () -> writing.runStarts(connection.database(client), connection));
                return new RollbackRunner(setup, runStarts).run();
              }
            });
    int exitCode =
        ErrorHandler.finish(
            spec.commandLine().getErr(), run.result(), run.reportError(), logging.verbose());
    output.answer(SummaryJson.of(run.result(), exitCode, run.reportError()));
    return exitCode;
  }
}
