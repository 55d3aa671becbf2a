package app.achievements.cli;

import app.achievements.rules.Json;
import app.achievements.run.MigrationResult;
import app.achievements.run.RollbackResult;
import java.util.Map;
import org.bson.BsonBoolean;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonString;

/**
 * {@code --json}: a run's result, or an error, as the one JSON object of standard output. A run
 * that stopped carries its counts so far and its {@code error}.
 */
final class SummaryJson {

  private SummaryJson() {}

  /**
   * The result of {@code command}, which exits with {@code exitCode}; {@code otherError}, shown
   * when the run itself did not fail, is what else went wrong (its report could not be finished),
   * or null.
   */
  static String of(String command, MigrationResult result, int exitCode, String otherError) {
    BsonDocument json =
        new BsonDocument("command", new BsonString(command))
            .append("dryRun", BsonBoolean.valueOf(result.dryRun()))
            .append("status", new BsonString(result.status().code()))
            .append("eligible", new BsonInt64(result.eligible()))
            .append("migrated", new BsonInt64(result.migrated()))
            .append("rejected", new BsonInt64(result.rejected()))
            .append("conflicts", new BsonInt64(result.conflicts()))
            .append("failed", new BsonInt64(result.failed()))
            .append("skipped", new BsonInt64(result.skipped()))
            .append("unfinished", new BsonInt64(result.unfinished()))
            .append("reasons", counts(result.rejectedByReason()))
            .append("notes", counts(result.notes()))
            .append("runStart", new BsonString(result.runStart().toString()))
            .append("durationMs", new BsonInt64(result.duration().toMillis()));
    return finish(json, result.failure(), otherError, exitCode);
  }

  /**
   * The result of a rollback, which exits with {@code exitCode}; see above for {@code otherError}.
   */
  static String of(RollbackResult result, int exitCode, String otherError) {
    BsonDocument json =
        new BsonDocument("command", new BsonString("rollback"))
            .append("dryRun", BsonBoolean.valueOf(result.dryRun()))
            .append("status", new BsonString(result.status().code()))
            .append("migrated", new BsonInt64(result.migrated()))
            .append("rolledBack", new BsonInt64(result.rolledBack()))
            .append("kept", new BsonInt64(result.kept()))
            .append("conflicts", new BsonInt64(result.conflicts()))
            .append("failed", new BsonInt64(result.failed()))
            .append("unfinished", new BsonInt64(result.unfinished()))
            .append("durationMs", new BsonInt64(result.duration().toMillis()));
    return finish(json, result.failure(), otherError, exitCode);
  }

  private static String finish(
      BsonDocument json, Throwable failure, String otherError, int exitCode) {
    if (failure != null) {
      json.append("error", new BsonString(Redaction.redact(ErrorHandler.describe(failure))));
    } else if (otherError != null) {
      json.append("error", new BsonString(Redaction.redact(otherError)));
    }
    return Json.relaxed(json.append("exitCode", new BsonInt32(exitCode)));
  }

  /** An error that ended {@code command} with {@code exitCode}. */
  static String error(String command, String message, int exitCode) {
    return Json.relaxed(
        new BsonDocument("command", new BsonString(command))
            .append("error", new BsonString(message))
            .append("exitCode", new BsonInt32(exitCode)));
  }

  private static <K extends Enum<K>> BsonDocument counts(Map<K, Long> counts) {
    BsonDocument document = new BsonDocument();
    counts.forEach((code, count) -> document.append(code.name(), new BsonInt64(count)));
    return document;
  }
}
