package app.achievements.cli;

import app.achievements.run.RollbackResult;
import app.achievements.run.RollbackRunner;
import app.achievements.run.RunSetup;
import app.achievements.store.Retry;
import com.mongodb.client.MongoClient;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Optional;
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

  @Mixin RetryOptions retrying;

  @Mixin OutputOptions output;

  @Mixin LoggingOptions logging;

  @Override
  public Integer call() throws IOException {
    logging.apply();
    var options = writing.options(connection);
    retrying.check();
    Optional<ReportFile> report = output.report();
    PrintWriter human = output.human();
    try (MongoClient client = connection.connect(human)) {
      RunSetup setup =
          writing
              .setup(
                  connection,
                  retrying,
                  client,
                  human,
                  options,
                  output.reportSink(report),
                  "rollback",
                  message ->
                      output.answer(SummaryJson.error("rollback", message, ExitCodes.INTERRUPTED)))
              .build();
      RollbackResult result;
      try {
        result =
            new RollbackRunner(
                    setup,
                    retrying
                        .retry(Retry.Sleeper.REAL)
                        .call(
                            "reading the history",
                            () ->
                                writing.runStarts(
                                    connection.database(client),
                                    connection.collectionName(),
                                    connection.operationTimeout())))
                .run();
      } catch (RuntimeException e) {
        output.close(report);
        throw e;
      }
      String reportError = output.close(report);
      int exitCode =
          ErrorHandler.finish(
              spec.commandLine().getErr(),
              result.failure(),
              reportError,
              logging.verbose(),
              ExitCodes.of(result.status(), result.complete(), result.failure()));
      output.answer(
          SummaryJson.of(result, exitCode, result.failure() == null ? reportError : null));
      return exitCode;
    }
  }
}
