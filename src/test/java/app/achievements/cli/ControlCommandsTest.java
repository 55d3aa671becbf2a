package app.achievements.cli;

import static org.assertj.core.api.Assertions.assertThat;

import app.achievements.store.LiveRuns;
import app.achievements.support.Eventually;
import app.achievements.support.TestMongo;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.bson.BsonDocument;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code status}, {@code pause}, {@code resume}, {@code set} and {@code --stop-after}, in-process,
 * against a migration that another thread runs (the jar as a second process: {@code MigrateJarIT}).
 */
@Timeout(120)
class ControlCommandsTest extends CommandTestBase {

  private static final int USERS = 4000;

  /** Output of a command run on a thread of its own. */
  private record Ran(int exitCode, String out, String err) {}

  private Ran command(String... args) {
    StringWriter commandOut = new StringWriter();
    StringWriter commandErr = new StringWriter();
    Context context =
        new Context(new ByteArrayInputStream(new byte[0]), Clock.systemUTC(), Map.of());
    int exit =
        Main.commandLine(
                context, new PrintWriter(commandOut, true), new PrintWriter(commandErr, true))
            .execute(args);
    return new Ran(exit, commandOut.toString(), commandErr.toString());
  }

  private void insertUsers() {
    users.insertMany(TestMongo.plainUsers(USERS));
  }

  private long migrated() {
    return users.countDocuments(Filters.exists("achievements_v2"));
  }

  /** A migration at 1000 users a second, checking every 100 ms, on a thread of its own. */
  private Thread migrateSlowly(List<Ran> result) {
    Thread run =
        new Thread(
            () ->
                result.add(
                    command(
                        against(
                            "--yes",
                            "--batch-size",
                            "100",
                            "--max-rate",
                            "1000",
                            "--check-interval",
                            "100ms"))));
    run.start();
    return run;
  }

  @Test
  void statusWithNoRunSaysSoAndPauseHasNothingToPause() {
    assertThat(run("", sub("status"))).isZero();
    assertThat(out.toString())
        .endsWith("No run holds the lock on " + database.getName() + ".users.\n");
    assertThat(run("", sub("status", "--json"))).isZero();
    assertThat(BsonDocument.parse(out.toString()))
        .isEqualTo(BsonDocument.parse("{command: 'status', running: false, exitCode: 0}"));
    assertThat(run("", sub("pause"))).isEqualTo(1);
    assertThat(err.toString())
        .isEqualTo(
            "error: no run holds the lock on " + database.getName() + ".users: nothing to pause\n");
  }

  /**
   * A run that applies the request and ends before the command looks again has no lock left to
   * confirm in: its history, named by its lock, says whether it applied the request, and did what
   * was asked (a pause overtaken by a later set, applied in its place, is no pause). Played here by
   * hand: the lock of a run, then, once the request is in it, the run's end.
   */
  @Test
  void aRunThatAppliedTheRequestAndEndedMeanwhileIsConfirmedFromItsHistory() throws Exception {
    record Case(String command, String recorded, int exit, String said) {}
    for (Case c :
        List.of(
            new Case("resume", "{seq: 1, paused: false}", 0, "Resumed; the run has ended since"),
            new Case("resume", null, 3, null),
            new Case("pause", "{seq: 1, paused: true}", 0, "Paused; the run has ended since"),
            new Case("pause", "{seq: 2, maxRate: 5.0}", 3, null),
            new Case("set", "{seq: 1, maxRate: 5.0}", 0, "Applied by the run, which has ended"))) {
      MongoCollection<BsonDocument> locks =
          database.getCollection(WriteOptions.LOCKS, BsonDocument.class);
      MongoCollection<BsonDocument> history =
          database.getCollection("my_history", BsonDocument.class);
      String target = database.getName() + ".users";
      locks.insertOne(
          BsonDocument.parse(
              "{_id: '"
                  + target
                  + "', owner: {runId: 'r1', command: 'migrate', history: 'my_history'},"
                  + " expiresAt: {$date: '2100-01-01T00:00:00Z'}}"));
      history.insertOne(BsonDocument.parse("{_id: 'r1', command: 'migrate', controls: []}"));
      Thread run =
          new Thread(
              () -> {
                Eventually.await(
                    "the request",
                    Duration.ofSeconds(30),
                    () -> locks.find(Filters.exists("control.seq")).first() != null);
                if (c.recorded() != null) {
                  history.updateOne(
                      Filters.eq("_id", "r1"),
                      Updates.push("controls", BsonDocument.parse(c.recorded())));
                }
                locks.deleteOne(Filters.eq("_id", target));
              });
      run.start();
      List<String> args = new ArrayList<>(List.of(c.command()));
      if (c.command().equals("set")) {
        args.addAll(List.of("--max-rate", "5"));
      }
      args.addAll(List.of("--wait", "30"));
      Ran ran = command(sub(args.get(0), args.subList(1, args.size()).toArray(String[]::new)));
      run.join(30_000);
      assertThat(ran.exitCode()).as(c + ran.err()).isEqualTo(c.exit());
      if (c.exit() == 0) {
        assertThat(ran.out()).as(c.toString()).contains(c.said());
      } else {
        assertThat(ran.err()).isEqualTo("warning: the run ended before it confirmed\n");
      }
      history.deleteMany(new BsonDocument());
    }
  }

  @Test
  void setNeedsSomethingToSetAndValuesInRangeBeforeItConnects() {
    assertThat(run("", "set", "--uri", "mongodb://127.0.0.1:1", "-d", "x")).isEqualTo(2);
    assertThat(err.toString())
        .isEqualTo(
            "error: nothing to set: give --max-rate, --batch-size or --max-lag (see --help)\n");
    assertThat(run("", "set", "--uri", "mongodb://127.0.0.1:1", "-d", "x", "--batch-size", "0"))
        .isEqualTo(2);
    assertThat(err.toString()).startsWith("error: --batch-size must be 1 to 100000, not 0");
    assertThat(run("", "set", "--uri", "mongodb://127.0.0.1:1", "-d", "x", "--max-lag", "-1"))
        .isEqualTo(2);
    assertThat(run("", "set", "--uri", "mongodb://127.0.0.1:1", "-d", "x", "--max-rate", "NaN"))
        .isEqualTo(2);
  }

  @Test
  void pauseHoldsTheRunWithNothingWrittenStatusShowsItAndResumeFinishesIt() throws Exception {
    insertUsers();
    List<Ran> result = new ArrayList<>();
    Thread run = migrateSlowly(result);
    Eventually.await("some users migrated", Duration.ofSeconds(30), () -> migrated() >= 500);

    Ran pause = command(sub("pause"));
    assertThat(pause.exitCode()).as(pause.err()).isZero();
    assertThat(pause.out())
        .contains("Asked run ")
        .contains(" to pause (request 1).\n")
        .endsWith(
            "Paused: no bulk write of the run's is on the wire, and none starts until resume.\n");
    long paused = migrated();
    Thread.sleep(1500);
    assertThat(migrated()).isEqualTo(paused).isLessThan(USERS);

    Ran status = command(sub("status"));
    assertThat(status.exitCode()).isZero();
    assertThat(status.out())
        .containsPattern("Writes: +paused by pause from .+@.+ \\(pid \\d+\\)\n")
        .containsPattern("Progress: +\\d+ eligible users processed \\(\\d+ migrated, 0 rejected,")
        .contains("Batch size:  100 (at most 100)\n")
        .contains("Max rate:    1000 users/s\n")
        .contains("Lag:         off (standalone); at most 10 s\n")
        .containsPattern("Controls: +1 applied of 1; the last by pause from ");

    Ran set = command(sub("set", "--max-rate", "0", "--batch-size", "500"));
    assertThat(set.exitCode()).as(set.err()).isZero();
    assertThat(set.out()).contains(" for max rate none, batch size 500 (request 2).\n");
    assertThat(migrated()).isEqualTo(paused); // still paused: set does not resume

    Ran resume = command(sub("resume"));
    assertThat(resume.exitCode()).as(resume.err()).isZero();
    // unthrottled, the run may write its last users and end between two looks at its lock
    assertThat(resume.out())
        .containsPattern(
            "(Resumed: the run is writing|Resumed; the run has ended since: see history)\\.\n$");
    run.join(60_000);
    assertThat(result.get(0).exitCode()).as(result.get(0).err()).isZero();
    assertThat(migrated()).isEqualTo(USERS);
    assertThat(result.get(0).out())
        .containsPattern("Paused by pause from .+: no new batch until resume.\n")
        .containsPattern("Changed by set from .+: max rate none, batch size 500.\n")
        .containsPattern("Resumed by resume from .+\\.\n");
    BsonDocument entry =
        database.getCollection("migrate_history", BsonDocument.class).find().first();
    assertThat(entry.getArray("controls")).hasSize(3);
  }

  @Test
  void stopAfterStopsCleanlyWithExitSixAndTheNextRunFinishes() {
    insertUsers();
    assertThat(
            run(
                "",
                against(
                    "--yes", "--batch-size", "100", "--max-rate", "1000", "--stop-after", "1.5s")))
        .isEqualTo(6);
    long written = migrated();
    assertThat(written).isBetween(1L, USERS - 1L);
    assertThat(out.toString())
        .contains("Time limit: stops before its next batch 1.5 s after it begins (--stop-after).\n")
        .contains("Stopped at the time limit (--stop-after); counts so far:\n");
    assertThat(err.toString())
        .endsWith(
            "error: stopped at the time limit (1.5 s, --stop-after): every user is untouched or"
                + " fully written; run again to continue\n");
    assertThat(
            database
                .getCollection("migrate_history", BsonDocument.class)
                .find()
                .first()
                .getString("status")
                .getValue())
        .isEqualTo("stopped");
    assertThat(run("", against("--yes"))).isZero();
    assertThat(migrated()).isEqualTo(USERS);
  }

  @Test
  void aStopAfterThatIsNoDurationIsAUsageError() {
    assertThat(run("", against("--stop-after", "soon"))).isEqualTo(2);
    assertThat(err.toString())
        .startsWith(
            "error: --stop-after must be a positive duration such as 90s, 30m, 2h or 1h30m, not"
                + " soon");
    assertThat(run("", against("--stop-after", "PT-1S"))).isEqualTo(2);
    assertThat(run("", against("--check-interval", "5ms"))).isEqualTo(2);
    assertThat(run("", against("--batch-time", "5"))).isEqualTo(2);
    // a limit too small to tell from 0 would turn the check off: refused, not rounded
    assertThat(run("", against("--max-lag", "0.0001"))).isEqualTo(2);
    assertThat(err.toString())
        .startsWith(
            "error: --max-lag must be 0 (not checked) or 0.001 to 86400 seconds, not 1.0E-4");
    assertThat(run("", "set", "--uri", "mongodb://127.0.0.1:1", "-d", "x", "--max-lag", "0.0004"))
        .isEqualTo(2);
  }

  @Test
  void progressJsonWritesOneObjectPerLineOnStandardError() {
    insertUsers();
    assertThat(run("", against("--yes", "--progress-json"))).isZero();
    List<BsonDocument> lines = new ArrayList<>();
    err.toString().lines().forEach(line -> lines.add(BsonDocument.parse(line)));
    assertThat(lines).isNotEmpty();
    BsonDocument last = lines.get(lines.size() - 1);
    assertThat(last.getString("progress").getValue()).isEqualTo("Migrating");
    assertThat(last.getNumber("processed").longValue()).isEqualTo(USERS);
    assertThat(last.getNumber("migrated").longValue()).isEqualTo(USERS);
    assertThat(last.keySet())
        .contains("expected", "rejected", "failed", "usersPerSecond", "batchSize", "lag", "writes");
    assertThat(out.toString()).doesNotContain("Progress: ");
  }

  @Test
  void everyCommandTheToolSendsCarriesTheCommentOfItsRun() {
    insertUsers();
    List<String> sent = new ArrayList<>();
    AtomicInteger uncommented = new AtomicInteger();
    TestMongo.server()
        .onCommand(
            (name, comment) -> {
              synchronized (sent) {
                if (comment != null) {
                  sent.add(name + " " + comment);
                } else if (!name.equalsIgnoreCase("hello") && !name.equalsIgnoreCase("isMaster")) {
                  sent.add(name + " WITHOUT A COMMENT");
                } else {
                  uncommented.incrementAndGet(); // the driver's own handshakes and heartbeats
                }
              }
            });
    try {
      assertThat(run("", against("--dry-run"))).isZero();
      assertThat(run("", against("--yes", "--batch-size", "1000"))).isZero();
      assertThat(run("", sub("verify"))).isZero();
      assertThat(run("", sub("rollback", "--yes"))).isZero();
      assertThat(run("", sub("history"))).isZero();
      assertThat(run("", sub("status"))).isZero();
    } finally {
      TestMongo.server().onCommand((name, comment) -> {});
    }
    synchronized (sent) {
      assertThat(sent).noneMatch(line -> line.endsWith("WITHOUT A COMMENT"));
      assertThat(sent)
          .allMatch(line -> line.matches("\\w+ achievements-migrate [0-9a-f-]{36}"), "commented");
      // the migration's commands name its history entry
      String runId =
          database
              .getCollection("migrate_history", BsonDocument.class)
              .find(Filters.eq("command", "migrate"))
              .first()
              .getString("_id")
              .getValue();
      assertThat(sent)
          .contains(
              "update achievements-migrate " + runId,
              "find achievements-migrate " + runId,
              "insert achievements-migrate " + runId,
              "hello achievements-migrate " + runId,
              "replSetGetStatus achievements-migrate " + runId,
              "findAndModify achievements-migrate " + runId,
              "delete achievements-migrate " + runId,
              "ping achievements-migrate " + runId,
              "listCollections achievements-migrate " + runId);
      assertThat(sent.stream().map(line -> line.split(" ")[2]).distinct()).hasSize(6);
    }
  }

  @Test
  void aPauseThatALaterResumeOvertookSaysSoInsteadOfWaiting() {
    LiveRuns.LiveRun overtaken =
        new LiveRuns.LiveRun(
            BsonDocument.parse(
                "{_id: 'app.users', owner: {runId: 'r1'}, status: {state: 'running', control: 2},"
                    + " control: {seq: 2, paused: false, by: {command: 'resume', user: 'bob',"
                    + " host: 'laptop', pid: 7}}}"));
    assertThat(new PauseCommand().overtaken(overtaken, 1))
        .isEqualTo(
            "a later request (resume from bob@laptop (pid 7)) resumed the run before it looked at"
                + " this pause: it is not paused");
    assertThat(new PauseCommand().overtaken(overtaken, 2)).isNull();
  }
}
