package app.achievements.cli;

import app.achievements.store.LiveRuns;
import app.achievements.store.MongoRunJournal;
import com.mongodb.client.MongoClient;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.bson.BsonDocument;
import org.bson.BsonInt64;
import org.bson.BsonString;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * What {@code pause}, {@code resume} and {@code set} share: find the run that holds the lock on the
 * collection, write the request into the control part of its lock document (for that run only: one
 * that ended, or a later run, never applies it), then wait for the run to confirm, which it does
 * within a check interval. Exit 0 when it confirmed, 3 when it did not in time (it applies the
 * request at its next check, if it is alive), 1 when no run holds the lock.
 */
abstract class LiveRunCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin ConnectionOptions connection;

  @Option(
      names = "--wait",
      paramLabel = "SECONDS",
      defaultValue = "15",
      description =
          "How long to wait for the run to confirm, 0 to 3600 (default: ${DEFAULT-VALUE}); 0:"
              + " do not wait.")
  int waitSeconds;

  @Mixin LoggingOptions logging;

  /** How often the lock document is read again while waiting. */
  static final Duration POLL = Duration.ofMillis(200);

  /** The command's name, as it is recorded as the one who asked. */
  abstract String name();

  /** The fields of the control part to set ({@code paused}, {@code maxRate}, …). */
  abstract BsonDocument changes();

  /** What was asked, for people: {@code to pause}, {@code max rate 500 users/s}. */
  abstract String asked();

  /**
   * Whether {@code run}'s status confirms the request; {@code seq} is its number. By default: the
   * run applied it.
   */
  boolean confirmed(BsonDocument status, long seq) {
    return applied(status, seq);
  }

  /** What the run's confirmation says, for people. */
  abstract String confirmation(BsonDocument status);

  /**
   * Whether the controls that a run applied from this request on, as its history records them,
   * confirm the request; by default: it applied one.
   */
  boolean confirmedBeforeItEnded(List<BsonDocument> applied) {
    return !applied.isEmpty();
  }

  /** What the confirmation says of a run that applied the request and has ended since. */
  String confirmationAfterItEnded() {
    return "Applied by the run, which has ended since: see history.";
  }

  /**
   * Why the run will never confirm request {@code seq}, or null: a later request that overtook it
   * before the run looked (a resume right after a pause).
   */
  String overtaken(LiveRuns.LiveRun run, long seq) {
    return null;
  }

  static boolean applied(BsonDocument status, long seq) {
    return status.isNumber("control") && status.getNumber("control").longValue() >= seq;
  }

  @Override
  public Integer call() {
    logging.apply();
    if (waitSeconds < 0 || waitSeconds > 3600) {
      throw new ParameterException(
          spec.commandLine(), "--wait must be 0 to 3600 seconds, not " + waitSeconds);
    }
    BsonDocument changes = changes();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try (MongoClient client = connection.connect(out)) {
      LiveRuns runs = liveRuns(connection, client);
      String target = connection.namespace();
      Optional<LiveRuns.LiveRun> live = runs.find(target);
      if (live.isEmpty()) {
        err.printf("error: no run holds the lock on %s: nothing to %s%n", target, name());
        return ExitCodes.FATAL;
      }
      LiveRuns.LiveRun run = live.get();
      Optional<Long> seq = runs.request(target, run.runId(), changes, by());
      if (seq.isEmpty()) {
        err.printf("error: the run on %s ended before it could be asked%n", target);
        return ExitCodes.FATAL;
      }
      out.printf("Asked %s %s (request %d).%n", StatusCommand.describe(run), asked(), seq.get());
      out.flush();
      long deadline = System.nanoTime() + Duration.ofSeconds(waitSeconds).toNanos();
      while (true) {
        Optional<LiveRuns.LiveRun> now = runs.find(target);
        if (now.isEmpty() || !now.get().runId().equals(run.runId())) {
          // it may have applied the request and finished between two looks: its history says
          if (confirmedBeforeItEnded(
              runs.appliedBeforeItEnded(connection.database(client), run, seq.get()))) {
            out.println(confirmationAfterItEnded());
            return ExitCodes.OK;
          }
          err.println("warning: the run ended before it confirmed");
          return ExitCodes.INCOMPLETE;
        }
        if (confirmed(now.get().status(), seq.get())) {
          out.println(confirmation(now.get().status()));
          return ExitCodes.OK;
        }
        String overtaken = overtaken(now.get(), seq.get());
        if (overtaken != null) {
          err.println("warning: " + overtaken);
          return ExitCodes.INCOMPLETE;
        }
        if (System.nanoTime() - deadline >= 0) {
          Instant heartbeat = now.get().heartbeatAt();
          err.printf(
              "warning: the run has not confirmed within %d s (last heartbeat %s); it applies the"
                  + " request at its next check, if it is alive: see status%n",
              waitSeconds, heartbeat == null ? "never" : heartbeat.toString());
          return ExitCodes.INCOMPLETE;
        }
        sleep();
      }
    }
  }

  /** The lock documents of the users' database, as these commands read and write them. */
  static LiveRuns liveRuns(ConnectionOptions connection, MongoClient client) {
    return new LiveRuns(
        connection.database(client).getCollection(WriteOptions.LOCKS, BsonDocument.class),
        connection.operationTimeout(),
        connection.comment());
  }

  /** Who asks: this command, user, host and process. */
  private BsonDocument by() {
    return new BsonDocument("command", new BsonString(name()))
        .append("user", new BsonString(System.getProperty("user.name", "?")))
        .append("host", new BsonString(WriteOptions.hostName()))
        .append("pid", new BsonInt64(ProcessHandle.current().pid()));
  }

  /** The server's clock, for how long ago a heartbeat was. */
  static Instant serverNow(ConnectionOptions connection, MongoClient client) {
    return MongoRunJournal.serverTime(connection.database(client), connection.comment()).get();
  }

  private static void sleep() {
    try {
      Thread.sleep(POLL.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the run to confirm", e);
    }
  }
}
