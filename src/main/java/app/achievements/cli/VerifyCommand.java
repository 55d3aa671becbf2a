package app.achievements.cli;

import app.achievements.rules.Finding;
import app.achievements.run.MigrationOptions;
import app.achievements.run.VerifyResult;
import app.achievements.run.VerifyRunner;
import app.achievements.store.MongoRunJournal;
import app.achievements.store.Retry;
import com.mongodb.client.MongoClient;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonString;
import org.bson.json.JsonMode;
import org.bson.json.JsonWriterSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code migrate.jar verify}: checks every user against SPEC.md; writes nothing. */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    versionProvider = ManifestVersionProvider.class,
    sortOptions = false,
    description = {
      "Reads every user and checks it: a user with achievements_v2 must carry exactly what the"
          + " migration derives from its current achievements and createdAt (where the run-start"
          + " fallback applied, the start of a recorded run), and no convertible eligible user"
          + " may remain. Writes nothing. Exit 0 when all holds, 3 otherwise.",
    })
final class VerifyCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin ConnectionOptions connection;

  @Option(
      names = "--history-collection",
      paramLabel = "NAME",
      defaultValue = WriteOptions.DEFAULT_HISTORY,
      description =
          "Where real runs recorded themselves (default: ${DEFAULT-VALUE}): their start instants"
              + " are the only ones accepted where the run-start fallback applied.")
  String historyCollection;

  @Mixin RetryOptions retrying;

  @Mixin OutputOptions output;

  @Mixin LoggingOptions logging;

  @Override
  public Integer call() throws IOException {
    logging.apply();
    connection.checkedCollection("--history-collection", historyCollection);
    retrying.check();
    Optional<ReportFile> report = output.report();
    PrintWriter human = output.human();
    PrintWriter err = spec.commandLine().getErr();
    try (MongoClient client = connection.connect(human)) {
      Retry retry = retrying.retry(Retry.Sleeper.REAL);
      VerifyResult result;
      try {
        result =
            new VerifyRunner(
                    connection.users(client, err),
                    human,
                    Context.of(spec).clock(),
                    MigrationOptions.DEFAULT_BATCH_SIZE,
                    output.reportSink(report),
                    retry.call(
                        "reading the history",
                        () ->
                            MongoRunJournal.recordedRunStarts(
                                connection
                                    .database(client)
                                    .getCollection(historyCollection, BsonDocument.class),
                                connection.databaseName(),
                                connection.collectionName(),
                                connection.operationTimeout())),
                    retry)
                .run();
      } catch (RuntimeException e) {
        output.close(report);
        throw e;
      }
      String reportError = output.close(report);
      int exitCode =
          ErrorHandler.finish(
              spec.commandLine().getErr(),
              null,
              reportError,
              logging.verbose(),
              result.holds() ? ExitCodes.OK : ExitCodes.INCOMPLETE);
      output.answer(json(result, exitCode));
      return exitCode;
    }
  }

  private static String json(VerifyResult result, int exitCode) {
    return new BsonDocument("command", new BsonString("verify"))
        .append("read", new BsonInt64(result.read()))
        .append("migrated", new BsonInt64(result.count(Finding.MIGRATED)))
        .append("mismatch", new BsonInt64(result.count(Finding.MISMATCH)))
        .append("stillEligible", new BsonInt64(result.count(Finding.STILL_ELIGIBLE)))
        .append("rejected", new BsonInt64(result.count(Finding.REJECTED)))
        .append("v2WithoutLegacy", new BsonInt64(result.count(Finding.V2_WITHOUT_LEGACY)))
        .append("durationMs", new BsonInt64(result.duration().toMillis()))
        .append("exitCode", new BsonInt32(exitCode))
        .toJson(JsonWriterSettings.builder().outputMode(JsonMode.RELAXED).build());
  }
}
