package app.achievements.cli;

import app.achievements.cli.OutputOptions.Reported;
import app.achievements.rules.Finding;
import app.achievements.rules.Json;
import app.achievements.run.MigrationOptions;
import app.achievements.run.VerifyResult;
import app.achievements.run.VerifyRunner;
import app.achievements.store.MongoRunJournal;
import app.achievements.store.Retry;
import com.mongodb.client.MongoClient;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.Callable;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonString;
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

  private final Context context;

  VerifyCommand(Context context) {
    this.context = context;
  }

  @Override
  public Integer call() {
    logging.apply();
    connection.checkedCollection("--history-collection", historyCollection);
    retrying.check();
    PrintWriter human = output.human();
    PrintWriter err = spec.commandLine().getErr();
    Reported<VerifyResult> run =
        output.reporting(
            report -> {
              try (MongoClient client = connection.connect(human)) {
                Retry retry = retrying.retry(Retry.Sleeper.REAL);
                Set<Instant> runStarts =
                    retry.call(
                        "reading the history",
                        () ->
                            MongoRunJournal.recordedRunStarts(
                                connection
                                    .database(client)
                                    .getCollection(historyCollection, BsonDocument.class),
                                connection.databaseName(),
                                connection.collectionName(),
                                connection.operationTimeout(),
                                connection.comment()));
                return new VerifyRunner(
                        connection.users(client, err),
                        human,
                        context.clock(),
                        MigrationOptions.DEFAULT_BATCH_SIZE,
                        report,
                        runStarts,
                        retry)
                    .run();
              }
            });
    int exitCode =
        ErrorHandler.finish(
            err,
            null,
            run.reportError(),
            logging.verbose(),
            run.result().holds() ? ExitCodes.OK : ExitCodes.INCOMPLETE);
    output.answer(json(run.result(), exitCode));
    return exitCode;
  }

  private static String json(VerifyResult result, int exitCode) {
    return Json.relaxed(
        new BsonDocument("command", new BsonString("verify"))
            .append("read", new BsonInt64(result.read()))
            .append("migrated", new BsonInt64(result.count(Finding.MIGRATED)))
            .append("mismatch", new BsonInt64(result.count(Finding.MISMATCH)))
            .append("stillEligible", new BsonInt64(result.count(Finding.STILL_ELIGIBLE)))
            .append("rejected", new BsonInt64(result.count(Finding.REJECTED)))
            .append("v2WithoutLegacy", new BsonInt64(result.count(Finding.V2_WITHOUT_LEGACY)))
            .append("durationMs", new BsonInt64(result.duration().toMillis()))
            .append("exitCode", new BsonInt32(exitCode)));
  }
}
