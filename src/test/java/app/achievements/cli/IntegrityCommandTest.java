package app.achievements.cli;

import static org.assertj.core.api.Assertions.assertThat;

import app.achievements.embedded.SampleUsers;
import app.achievements.run.StopSignal;
import app.achievements.support.Eventually;
import app.achievements.support.TestMongo;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.bson.BsonDocument;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The promises the command line makes about what it writes: nothing before a usage error is found,
 * no file on a refused prompt, no history in a database that does not exist, rollback only of what
 * a recorded run wrote, and counts that add up when a run is stopped.
 */
class IntegrityCommandTest extends CommandTestBase {

  @TempDir Path dir;

  /** An address where nothing listens: a command that got as far as connecting would say so. */
  private static final String NOWHERE = "mongodb://127.0.0.1:1/?serverSelectionTimeoutMS=200";

  private String[] rollback(String... args) {
    List<String> all = new ArrayList<>(List.of("rollback"));
    all.addAll(List.of(against(args)));
    return all.toArray(String[]::new);
  }

  private String[] verify(String... args) {
    List<String> all = new ArrayList<>(List.of("verify"));
    all.addAll(List.of(against(args)));
    return all.toArray(String[]::new);
  }

  @Test
  void namesMongoDbRefusesAreUsageErrorsBeforeConnecting() {
    Map<List<String>, String> cases =
        Map.of(
            List.of("-d", "a.b"),
            "invalid database name 'a.b': it may not contain '.' (nor any of / \\ . space \" $ * <"
                + " > : | ?)",
            List.of("-d", "a b"),
            "invalid database name 'a b': it may not contain ' ' (nor any of / \\ . space \" $ * <"
                + " > : | ?)",
            List.of("-d", "x", "--collection", ""),
            "--collection is empty: name a collection",
            List.of("-d", "x", "--collection", "system.users"),
            "invalid --collection 'system.users': names starting with system. are MongoDB's",
            List.of("-d", "x", "--history-collection", "runs$"),
            "invalid --history-collection 'runs$': it may not contain '$' or a NUL character",
            List.of("-d", "x", "--collection", ".users"),
            "invalid --collection '.users': it may not start with '.'");
    cases.forEach(
        (options, message) -> {
          List<String> args = new ArrayList<>(List.of("--uri", NOWHERE, "--yes"));
          args.addAll(options);
          assertThat(run("", args.toArray(String[]::new))).as(options.toString()).isEqualTo(2);
          assertThat(err.toString()).isEqualTo("error: " + message + " (see --help)\n");
        });
    assertThat(run("", "verify", "--uri", NOWHERE, "-d", "a.b")).isEqualTo(2);
    assertThat(run("", "history", "--uri", NOWHERE, "-d", "a b")).isEqualTo(2);
  }

  @Test
  void aRefusedPromptLeavesAnExistingReportAsItWas() throws IOException {
    SampleUsers.insert(users, 50, 1);
    run("", against("--yes")); // leaves the rejected users eligible, and some to roll back
    Path report = dir.resolve("old.jsonl");
    Files.writeString(report, "the last run's report\n");

    assertThat(run("no\n", against("--report", report.toString(), "--force"))).isEqualTo(4);
    assertThat(run("", against("--report", report.toString(), "--force"))).isEqualTo(4);
    assertThat(run("no\n", rollback("--report", report.toString(), "--force"))).isEqualTo(4);

    assertThat(Files.readString(report)).isEqualTo("the last run's report\n");
  }

  @Test
  void aReportPathThatIsADirectoryOrHasNoDirectoryIsAUsageError() {
    assertThat(run("", "--uri", NOWHERE, "-d", "x", "--report", dir.toString())).isEqualTo(2);
    assertThat(err.toString())
        .isEqualTo("error: --report " + dir + " is a directory: name a file (see --help)\n");
    Path nowhere = dir.resolve("no/such/report.jsonl");
    assertThat(run("", "--uri", NOWHERE, "-d", "x", "--report", nowhere.toString())).isEqualTo(2);
    assertThat(err.toString())
        .isEqualTo(
            "error: --report "
                + nowhere
                + ": no such directory "
                + nowhere.getParent()
                + " (see --help)\n");
  }

  @Test
  void aRunWithYesOnACollectionThatDoesNotExistWritesNothingAnywhere() {
    String mistyped = database.getName() + "_typo";
    String uri = TestMongo.server().connectionString();

    assertThat(run("", "--uri", uri, "-d", mistyped, "--yes")).isEqualTo(2);
    assertThat(err.toString())
        .isEqualTo(
            "error: "
                + mistyped
                + ".users does not exist, so there is nothing to migrate: check --database and"
                + " --collection (--allow-missing-collection runs anyway) (see --help)\n");
    assertThat(run("", "rollback", "--uri", uri, "-d", mistyped, "--yes")).isEqualTo(2);
    assertThat(run("", "--uri", uri, "-d", database.getName(), "--collection", "userz", "--yes"))
        .isEqualTo(2);
    // (mongo-java-server lists a database once anyone asked for its collections; mongod does not)
    assertThat(
            TestMongo.client().getDatabase(mistyped).listCollectionNames().into(new ArrayList<>()))
        .isEmpty();
    assertThat(database.listCollectionNames().into(new ArrayList<>())).doesNotContain("userz");
    assertThat(database.listCollectionNames().into(new ArrayList<>()))
        .doesNotContain("migrate_history", "migrate_history_locks");

    // the operator says so: the run goes on, finds nothing, and is recorded
    try {
      assertThat(run("", "--uri", uri, "-d", mistyped, "--yes", "--allow-missing-collection"))
          .isZero();
      assertThat(
              TestMongo.client()
                  .getDatabase(mistyped)
                  .getCollection("migrate_history")
                  .countDocuments())
          .isEqualTo(1);
    } finally {
      TestMongo.client().getDatabase(mistyped).drop();
    }
  }

  /** The two users of the issue, in a database where no migration ever ran. */
  @Test
  void rollbackAndVerifyLeaveAnAchievementsV2TheApplicationWroteAlone() {
    users.insertOne(
        BsonDocument.parse(
            "{_id: 'user-42', achievements: ['first_login', 'streak_7'], achievements_v2:"
                + " [{achievementId: 'first_login', unlockedAt: {$date: '2019-05-01T08:00:00Z'}},"
                + " {achievementId: 'streak_7', unlockedAt: {$date: '2019-05-01T08:00:00Z'}}]}"));
    users.insertOne(
        BsonDocument.parse(
            "{_id: 1001, createdAt: 'not a date', achievements: ['level_10'], achievements_v2:"
                + " [{achievementId: 'level_10', unlockedAt: {$date: '2023-03-03T03:03:03Z'}}]}"));
    List<String> before = snapshot();

    assertThat(run("", rollback("--yes"))).isEqualTo(3);
    assertThat(snapshot()).isEqualTo(before);
    assertThat(out.toString())
        .contains("  rolled back  0\n")
        .contains("  kept         2 ")
        .contains("  _id 1001: kept UNLOCKED_AT_NOT_A_RUN_START\n")
        .contains("  _id \"user-42\": kept UNLOCKED_AT_NOT_A_RUN_START\n");

    assertThat(run("", verify())).isEqualTo(3);
    assertThat(out.toString()).contains("  mismatch             2\n");
  }

  @Test
  void usersStampedWithTheRunsStartAreVerifiedAndRolledBackOnceTheRunIsRecorded() {
    users.insertOne(BsonDocument.parse("{_id: 1, achievements: ['a']}"));
    users.insertOne(BsonDocument.parse("{_id: 2, createdAt: 'n/a', achievements: ['b']}"));
    List<String> before = snapshot();

    assertThat(run("", against("--yes"))).isZero();
    assertThat(run("", verify())).isZero();
    assertThat(run("", rollback("--yes"))).isZero();
    assertThat(out.toString()).contains("  rolled back  2\n");
    assertThat(snapshot()).isEqualTo(before);
  }

  /**
   * Ctrl-C in the middle of a throttled run: the run stops at once (a throttle's wait ends), and
   * the summary, {@code --json}, {@code --report} and the history entry give every user read one
   * outcome, the same in each.
   */
  @Test
  void aStoppedRunReportsCountsThatAddUpEverywhere() throws Exception {
    SampleUsers.insert(users, 2000, 6);
    long migratedBefore =
        users.countDocuments(BsonDocument.parse("{'achievements_v2.0': {$exists: true}}"));
    Path report = dir.resolve("report.jsonl");
    StopSignal stop = new StopSignal();
    Context context =
        new Context(new ByteArrayInputStream(new byte[0]), CLOCK, Map.of(), false, stop, false);
    AtomicInteger exit = new AtomicInteger(-1);
    Thread run =
        new Thread(
            () ->
                exit.set(
                    Main.commandLine(
                            context, new PrintWriter(out, true), new PrintWriter(err, true))
                        .execute(
                            against(
                                "--yes",
                                "--json",
                                "--batch-size",
                                "20",
                                "--max-rate",
                                "100",
                                "--report",
                                report.toString()))));
    run.start();
    Eventually.await(
        "some users migrated",
        Duration.ofSeconds(30),
        () ->
            users.countDocuments(BsonDocument.parse("{'achievements_v2.0': {$exists: true}}"))
                >= 40);

    stop.request();

    run.join(30_000);
    assertThat(run.isAlive()).isFalse();
    assertThat(exit.get()).isEqualTo(130);
    BsonDocument json = BsonDocument.parse(out.toString());
    assertThat(json.getString("status").getValue()).isEqualTo("interrupted");
    assertThat(json.getString("error").getValue()).startsWith("interrupted: ");
    long eligible = json.get("eligible").asNumber().longValue();
    long outcomes = 0;
    for (String outcome :
        List.of("migrated", "rejected", "conflicts", "failed", "skipped", "unfinished")) {
      outcomes += json.get(outcome).asNumber().longValue();
    }
    assertThat(outcomes).isEqualTo(eligible);
    assertThat(json.get("migrated").asNumber().longValue())
        .isEqualTo(
            users.countDocuments(BsonDocument.parse("{'achievements_v2.0': {$exists: true}}"))
                - migratedBefore);
    assertThat(err.toString()).contains("Interrupted; counts so far:\nSummary\n");
    long unfinishedRows =
        Files.readAllLines(report).stream()
            .filter(line -> line.contains("\"outcome\": \"unfinished\""))
            .count();
    assertThat(unfinishedRows).isEqualTo(json.get("unfinished").asNumber().longValue());
    BsonDocument entry =
        database.getCollection("migrate_history", BsonDocument.class).find().first();
    assertThat(entry.getString("status").getValue()).isEqualTo("interrupted");
    for (String name : entry.getDocument("counts").keySet()) {
      assertThat(entry.getDocument("counts").get(name).asNumber().longValue())
          .as(name)
          .isEqualTo(json.get(name).asNumber().longValue());
    }
    assertThat(database.getCollection("migrate_history_locks").countDocuments()).isZero();
  }

  /**
   * A report that cannot be written (a full disk: /dev/full) stops the run: its counts still add
   * up, it records itself failed and releases its lock, and --json still prints its one object.
   */
  @Test
  void aReportThatCannotBeWrittenStopsTheRunWhichStillEndsWhole() {
    Assumptions.assumeTrue(Files.isWritable(Path.of("/dev/full")));
    SampleUsers.insert(users, 2000, 8);

    int exit =
        run(
            "",
            against("--yes", "--json", "--batch-size", "20", "--report", "/dev/full", "--force"));

    assertThat(exit).isEqualTo(1);
    BsonDocument json = BsonDocument.parse(out.toString());
    assertThat(json.containsKey("status")).as(out + "\n" + err).isTrue();
    assertThat(json.getString("status").getValue()).isEqualTo("failed");
    assertThat(json.getString("error").getValue()).startsWith("cannot write the report: ");
    long outcomes = 0;
    for (String outcome :
        List.of("migrated", "rejected", "conflicts", "failed", "skipped", "unfinished")) {
      outcomes += json.get(outcome).asNumber().longValue();
    }
    assertThat(outcomes).isEqualTo(json.get("eligible").asNumber().longValue());
    BsonDocument entry =
        database.getCollection("migrate_history", BsonDocument.class).find().first();
    assertThat(entry.getString("status").getValue()).isEqualTo("failed");
    assertThat(database.getCollection("migrate_history_locks").countDocuments()).isZero();
  }
}
