package app.achievements.cli;

import app.achievements.migration.MigrationResult;
import app.achievements.migration.ReportSink;
import app.achievements.migration.RollbackResult;
import app.achievements.migration.RollbackRunner;
import com.mongodb.client.MongoClient;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.bson.BsonBoolean;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonString;
import org.bson.json.JsonMode;
import org.bson.json.JsonWriterSettings;
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
      "Removes achievements_v2 from every user whose value is exactly what the migration writes;"
          + " a user whose achievements_v2 changed since keeps it and is reported. Asks for YES"
          + " first. Exit codes as for the migration.",
    })
final class RollbackCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin ConnectionOptions connection;

  @Mixin WriteOptions writing;

  @Mixin OutputOptions output;

  @Mixin LoggingOptions logging;

  @Override
  public Integer call() throws IOException {
    logging.apply();
    var options = writing.options(output.quiet);
    PrintWriter human = output.human();
    Context context = Context.of(spec);
    try (MongoClient client = connection.connect(human)) {
      Optional<ReportFile> report = output.openReport();
      RollbackResult result;
      try {
        result =
            new RollbackRunner(
                    writing.setup(
                        connection,
                        client,
                        human,
                        options,
                        report.isPresent() ? report.get() : ReportSink.NONE,
                        "rollback"))
                .run();
      } finally {
        if (report.isPresent()) {
          report.get().close();
        }
      }
      int exitCode =
          result.status() == MigrationResult.Status.ABORTED
              ? ExitCodes.ABORTED
              : result.complete() ? ExitCodes.OK : ExitCodes.INCOMPLETE;
      if (output.json) {
        spec.commandLine().getOut().println(json(result, exitCode));
      }
      return exitCode;
    }
  }

  private static String json(RollbackResult result, int exitCode) {
    return new BsonDocument("command", new BsonString("rollback"))
        .append("dryRun", BsonBoolean.valueOf(result.dryRun()))
        .append("status", new BsonString(result.status().name().toLowerCase(Locale.ROOT)))
        .append("migrated", new BsonInt64(result.migrated()))
        .append("rolledBack", new BsonInt64(result.rolledBack()))
        .append("kept", new BsonInt64(result.kept()))
        .append("conflicts", new BsonInt64(result.conflicts()))
        .append("failed", new BsonInt64(result.failed()))
        .append("durationMs", new BsonInt64(result.duration().toMillis()))
        .append("exitCode", new BsonInt32(exitCode))
        .toJson(JsonWriterSettings.builder().outputMode(JsonMode.RELAXED).build());
  }
}
