package app.achievements.cli;

import app.achievements.pace.Brake;
import app.achievements.rules.Json;
import app.achievements.store.LiveRuns;
import app.achievements.store.RunControl;
import com.mongodb.client.MongoClient;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.bson.BsonBoolean;
import org.bson.BsonDocument;
import org.bson.BsonInt64;
import org.bson.BsonString;
import org.bson.BsonValue;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code migrate.jar status}: the live run on the collection, as it last reported itself. */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    versionProvider = ManifestVersionProvider.class,
    sortOptions = false,
    description = {
      "Shows the run that holds the lock on the collection, from any machine: who runs it, its"
          + " counts, rate and ETA, its batch size, whether its writes go and why not, the"
          + " replication lag, its last heartbeat. Writes nothing. Exit 0, also when no run is"
          + " under way.",
    })
final class StatusCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin ConnectionOptions connection;

  @Option(names = "--json", description = "Print one JSON object on standard output.")
  boolean json;

  @Mixin LoggingOptions logging;

  @Override
  public Integer call() {
    logging.apply();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter human = json ? spec.commandLine().getErr() : out;
    try (MongoClient client = connection.connect(human)) {
      Optional<LiveRuns.LiveRun> live =
          LiveRunCommand.liveRuns(connection, client).find(connection.namespace());
      Instant now = LiveRunCommand.serverNow(connection, client);
      if (json) {
        out.println(Json.relaxed(json(live, now)));
        return ExitCodes.OK;
      }
      if (live.isEmpty()) {
        out.printf("No run holds the lock on %s.%n", connection.namespace());
        return ExitCodes.OK;
      }
      print(out, live.get(), now);
      return ExitCodes.OK;
    }
  }

  /** {@code run 3f2a… (migrate by alice@bastion, pid 42)}. */
  static String describe(LiveRuns.LiveRun run) {
    BsonDocument owner = run.owner();
    return "run "
        + text(run.runId())
        + " ("
        + text(owner.get("command"))
        + " by "
        + text(owner.get("user"))
        + "@"
        + text(owner.get("host"))
        + ", pid "
        + text(owner.get("pid"))
        + ")";
  }

  private void print(PrintWriter out, LiveRuns.LiveRun run, Instant now) {
    BsonDocument status = run.status();
    out.printf("Run:         %s, since %s%n", describe(run), run.since());
    Instant heartbeat = run.heartbeatAt();
    out.printf(
        "Heartbeat:   %s; lease until %s%n",
        heartbeat == null ? "none yet" : heartbeat + " (" + ago(heartbeat, now) + " ago)",
        run.expiresAt());
    if (status.isEmpty()) {
      out.println("The run has not reported its status yet (it does every check interval).");
      return;
    }
    out.printf(
        "Writes:      %s%n",
        status.isString("reason")
            ? status.getString("reason").getValue()
                + (text(status.get("state")).equals("pausing")
                    ? " (a bulk write is still on the wire)"
                    : "")
            : text(status.get("state")));
    boolean rollback = text(status.get("command")).equals("rollback");
    long expected = number(status, "expected");
    out.printf(
        "Progress:    %s %s processed (%d %s, %d %s, %d failed), %d users/s%s%n",
        expected < 0 ? number(status, "processed") : number(status, "processed") + "/" + expected,
        rollback ? "users as migrated" : "eligible users",
        number(status, "done"),
        rollback ? "rolled back" : "migrated",
        number(status, "rejected"),
        rollback ? "kept" : "rejected",
        number(status, "failed"),
        number(status, "usersPerSecond"),
        status.isNumber("etaSeconds") ? ", ETA " + number(status, "etaSeconds") + " s" : "");
    out.printf(
        "Batch size:  %d (at most %d)%n",
        number(status, "batchSize"), number(status, "maxBatchSize"));
    double maxRate = status.isNumber("maxRate") ? status.getNumber("maxRate").doubleValue() : 0;
    out.printf(
        "Max rate:    %s%n",
        maxRate == 0 ? "none" : String.format(Locale.ROOT, "%.0f users/s", maxRate));
    double maxLag =
        status.isNumber("maxLagSeconds") ? status.getNumber("maxLagSeconds").doubleValue() : 0;
    out.printf(
        "Lag:         %s%s%n",
        status.isDouble("lagSeconds")
            ? String.format(Locale.ROOT, "%.1f s", status.getDouble("lagSeconds").getValue())
                + (status.isString("lagMember") ? " (" + text(status.get("lagMember")) + ")" : "")
            : text(status.get("lag")),
        maxLag == 0
            ? ""
            : "; at most " + Brake.seconds(Duration.ofMillis(Math.round(maxLag * 1000))));
    RunControl control = run.control();
    if (control.seq() > 0) {
      out.printf(
          "Controls:    %d applied of %d; the last by %s%s%n",
          number(status, "control"),
          control.seq(),
          control.by(),
          Boolean.TRUE.equals(control.paused()) ? " (paused)" : "");
    }
    Duration silent = heartbeat == null ? null : Duration.between(heartbeat, now);
    long interval = number(status, "checkIntervalMs");
    if (silent != null && silent.toMillis() > 3 * Math.max(interval, 1000) + 5000) {
      out.printf(
          "warning: no heartbeat for %s: the run may be cut off from the server, or gone (its"
              + " lease lapses at %s)%n",
          ago(heartbeat, now), run.expiresAt());
    }
  }

  private static BsonDocument json(Optional<LiveRuns.LiveRun> live, Instant now) {
    BsonDocument json =
        new BsonDocument("command", new BsonString("status"))
            .append("running", BsonBoolean.valueOf(live.isPresent()));
    live.ifPresent(
        run -> {
          json.append("runId", run.runId()).append("owner", run.owner()).append("lock", run.lock());
          if (run.heartbeatAt() != null) {
            json.append(
                "heartbeatAgeMs",
                new BsonInt64(Duration.between(run.heartbeatAt(), now).toMillis()));
          }
        });
    return json.append("exitCode", new BsonInt64(ExitCodes.OK));
  }

  private static String ago(Instant then, Instant now) {
    return String.format(Locale.ROOT, "%.1f s", Duration.between(then, now).toMillis() / 1000.0);
  }

  private static long number(BsonDocument document, String key) {
    return document.isNumber(key) ? document.getNumber(key).longValue() : -1;
  }

  /** A value for people: a string as it is, anything else as JSON, {@code ?} when missing. */
  static String text(BsonValue value) {
    if (value == null) {
      return "?";
    }
    return value.isString() ? value.asString().getValue() : Json.relaxed(value);
  }
}
