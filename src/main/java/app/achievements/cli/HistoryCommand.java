package app.achievements.cli;

import app.achievements.rules.Json;
import com.mongodb.client.MongoClient;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.BsonValue;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code migrate.jar history}: the latest real runs, newest first. Writes nothing. */
@Command(
    name = "history",
    mixinStandardHelpOptions = true,
    versionProvider = ManifestVersionProvider.class,
    sortOptions = false,
    description =
        "Lists the latest real runs (migrate, rollback) of the collection (--collection), as the"
            + " users' database recorded them.")
final class HistoryCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin ConnectionOptions connection;

  @Option(
      names = "--history-collection",
      paramLabel = "NAME",
      defaultValue = WriteOptions.DEFAULT_HISTORY,
      description = "Where real runs record themselves (default: ${DEFAULT-VALUE}).")
  String historyCollection;

  @Option(
      names = "--limit",
      paramLabel = "N",
      defaultValue = "20",
      description = "How many runs, 1 to 1000 (default: ${DEFAULT-VALUE}).")
  int limit;

  @Option(
      names = "--json",
      description = "Print one JSON object: {\"command\": \"history\", \"runs\": [...]}.")
  boolean json;

  @Mixin LoggingOptions logging;

  @Override
  public Integer call() {
    logging.apply();
    if (limit < 1 || limit > 1000) {
      throw new ParameterException(spec.commandLine(), "--limit must be 1 to 1000, not " + limit);
    }
    connection.checkedCollection("--history-collection", historyCollection);
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    connection.passwordWarning().ifPresent(err::println);
    try (MongoClient client = connection.open()) {
      List<BsonDocument> runs =
          connection
              .database(client)
              .getCollection(historyCollection, BsonDocument.class)
              .find(Filters.eq("collection", connection.collectionName()))
              .sort(Sorts.descending("startedAt"))
              .limit(limit)
              .comment(connection.comment())
              .into(new ArrayList<>());
      if (json) {
        out.println(
            Json.relaxed(
                new BsonDocument("command", new BsonString("history"))
                    .append("runs", new BsonArray(runs))));
        return ExitCodes.OK;
      }
      PrintWriter human = out;
      human.printf("Server:     %s%n", connection.describe());
      if (runs.isEmpty()) {
        human.printf(
            "No runs of %s recorded in %s.%s.%n",
            connection.namespace(), connection.databaseName(), historyCollection);
        return ExitCodes.OK;
      }
      human.printf(
          "%-24s  %-8s  %-11s  %-20s  %s%n",
          "started", "command", "status", "collection", "counts");
      for (BsonDocument run : runs) {
        human.printf(
            "%-24s  %-8s  %-11s  %-20s  %s%n",
            instant(run.get("startedAt")),
            text(run.get("command")),
            text(run.get("status")),
            text(run.get("collection")),
            counts(run.get("counts")));
        human.printf(
            "    run %s by %s@%s (pid %s), %s, ended %s%n",
            text(run.get("_id")),
            text(run.get("user")),
            text(run.get("host")),
            run.containsKey("pid") ? Json.relaxed(run.get("pid")) : "?",
            text(run.get("tool")),
            instant(run.get("endedAt")));
      }
      return ExitCodes.OK;
    }
  }

  private static String text(BsonValue value) {
    return value != null && value.isString() ? value.asString().getValue() : "?";
  }

  private static String instant(BsonValue value) {
    return value != null && value.isDateTime()
        ? Instant.ofEpochMilli(value.asDateTime().getValue()).toString()
        : "-";
  }

  private static String counts(BsonValue value) {
    if (value == null || !value.isDocument()) {
      return "-";
    }
    List<String> parts = new ArrayList<>();
    value.asDocument().forEach((name, count) -> parts.add(name + " " + Json.relaxed(count)));
    return String.join(", ", parts);
  }
}
