package app.achievements.cli;

import static org.assertj.core.api.Assertions.assertThat;

import app.achievements.embedded.SampleUsers;
import app.achievements.rules.Finding;
import app.achievements.rules.Verification;
import app.achievements.support.TestMongo;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.bson.BsonDocument;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The packaged jar, started as a separate process, as an operator starts it. */
class MigrateJarIT {

  private static final Path JAR = Path.of(System.getProperty("migrate.jar", "target/migrate.jar"));

  private MongoDatabase database;
  private MongoCollection<BsonDocument> users;

  /** What a finished process left: its exit code and both outputs. */
  record Finished(int exit, String out, String err) {}

  @BeforeEach
  void seed() {
    database = TestMongo.client().getDatabase("jar_it_" + ProcessHandle.current().pid());
    database.drop();
    users = database.getCollection("users", BsonDocument.class);
    SampleUsers.insert(users, 300, 3);
  }

  @AfterEach
  void drop() {
    database.drop();
  }

  private Finished start(ProcessBuilder.Redirect stdin, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(javaBinary(), "-jar", JAR.toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectInput(stdin);
    Path out = File.createTempFile("migrate-out", ".txt").toPath();
    Path err = File.createTempFile("migrate-err", ".txt").toPath();
    builder.redirectOutput(out.toFile()).redirectError(err.toFile());
    Process process = builder.start();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("finished within 60 s").isTrue();
    return new Finished(
        process.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  private static String javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private String[] against(String... args) {
    return TestMongo.against(database.getName(), args);
  }

  private List<String> snapshot() {
    return TestMongo.bytes(users);
  }

  /** Starts a real run of the jar on 30,000 users, and returns once it has migrated some. */
  private Process startRunAndWaitForProgress(Path out) throws Exception {
    return startRunAndWaitForProgress(out, "--yes", "--batch-size", "20");
  }

  /** As above, the run told {@code args}. */
  private Process startRunAndWaitForProgress(Path out, String... args) throws Exception {
    users.drop();
    seed(users);
    List<String> command = new ArrayList<>(List.of(javaBinary(), "-jar", JAR.toString()));
    command.addAll(List.of(against(args)));
    Process process =
        new ProcessBuilder(command)
            .redirectOutput(out.toFile())
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    for (int i = 0; i < 600 && migratedNow() < 3000; i++) {
      Thread.sleep(50);
    }
    assertThat(migratedNow()).isGreaterThanOrEqualTo(3000);
    return process;
  }

  /**
   * 30,000 sample users, less those whose achievements_v2 is [null]: not the migration's, verify
   * would rightly call them mismatches.
   */
  private static void seed(MongoCollection<BsonDocument> collection) {
    SampleUsers.insert(collection, 30_000, 4);
    collection.deleteMany(
        BsonDocument.parse("{'achievements_v2.0': null, achievements_v2: {$size: 1}}"));
  }

  private long migratedNow() {
    return users.countDocuments(BsonDocument.parse("{'achievements_v2.0': {$exists: true}}"));
  }

  /** Every user is as before or carries exactly the migration's v2; returns how many changed. */
  private long assertEveryUserWhole(List<BsonDocument> before) {
    List<BsonDocument> after =
        users.find().sort(BsonDocument.parse("{_id: 1}")).into(new ArrayList<>());
    long changed = 0;
    for (int i = 0; i < before.size(); i++) {
      if (!after.get(i).equals(before.get(i))) {
        changed++;
        assertThat(Verification.check(after.get(i), runStarts()).finding())
            .as(after.get(i).toJson())
            .isEqualTo(Finding.MIGRATED);
      }
    }
    return changed;
  }

  /**
   * The users as seeded, before any run touched them: the same sample, read back from a scratch
   * collection so that the server orders them by {@code _id} as it does the real one.
   */
  private List<BsonDocument> usersAsSeeded() {
    var scratch = database.getCollection("before", BsonDocument.class);
    seed(scratch);
    List<BsonDocument> before =
        scratch.find().sort(BsonDocument.parse("{_id: 1}")).into(new ArrayList<>());
    scratch.drop();
    return before;
  }

  private void assertTheRerunFinishes(String... more) throws Exception {
    List<String> args = new ArrayList<>(List.of("--yes"));
    args.addAll(List.of(more));
    Finished rerun = start(ProcessBuilder.Redirect.PIPE, against(args.toArray(String[]::new)));
    assertThat(rerun.exit())
        .as(rerun.err())
        .isEqualTo(3); // the sample has users that cannot be converted
    Finished verify = start(ProcessBuilder.Redirect.PIPE, subcommand("verify"));
    assertThat(verify.exit()).as(verify.out()).isZero();
  }

  /** The start instants the runs recorded: what verify accepts for the run-start fallback. */
  private Set<Instant> runStarts() {
    return app.achievements.store.MongoRunJournal.recordedRunStarts(
        database.getCollection("migrate_history", BsonDocument.class), database.getName(), "users");
  }

  @Test
  void ctrlCStopsBeforeTheNextBatchPrintsTheSummaryAndExits130() throws Exception {
    Path out = File.createTempFile("migrate-out", ".txt").toPath();
    Process process = startRunAndWaitForProgress(out);
    List<BsonDocument> before = usersAsSeeded();

    new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).start().waitFor();

    assertStoppedCleanly(process, before);
    assertThat(Files.readString(out)).contains("Interrupted; counts so far:");
  }

  /** Exit 130, history interrupted, no lock left, every user whole, and a rerun finishes. */
  private void assertStoppedCleanly(Process process, List<BsonDocument> before) throws Exception {
    assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isEqualTo(130);
    var history = database.getCollection("migrate_history", BsonDocument.class);
    assertThat(history.find().first().getString("status").getValue()).isEqualTo("interrupted");
    assertThat(database.getCollection("migrate_history_locks").countDocuments()).isZero();
    assertThat(assertEveryUserWhole(before)).isBetween(1L, 29_999L);
    assertTheRerunFinishes();
  }

  @Test
  void aSecondCtrlCExitsAtOnce() throws Exception {
    Process process =
        startRunAndWaitForProgress(File.createTempFile("migrate-out", ".txt").toPath());
    List<BsonDocument> before = usersAsSeeded();

    new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).start().waitFor();
    new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).start().waitFor();

    assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isEqualTo(130);
    assertThat(assertEveryUserWhole(before)).isPositive();
    assertTheRerunFinishes("--force-unlock");
  }

  @Test
  void sigtermRecordsInterruptedReleasesTheLockAndLeavesEveryUserWhole() throws Exception {
    Process process =
        startRunAndWaitForProgress(File.createTempFile("migrate-out", ".txt").toPath());
    List<BsonDocument> before = usersAsSeeded();

    process.destroy(); // SIGTERM

    assertStoppedCleanly(process, before);
  }

  /** An SSH session or terminal that goes away: SIGHUP stops the run as SIGTERM does. */
  @Test
  void sighupStopsTheRunCleanlyToo() throws Exception {
    Process process =
        startRunAndWaitForProgress(File.createTempFile("migrate-out", ".txt").toPath());
    List<BsonDocument> before = usersAsSeeded();

    new ProcessBuilder("kill", "-HUP", Long.toString(process.pid())).start().waitFor();

    assertStoppedCleanly(process, before);
  }

  /**
   * SIGTERM while the writers wait for --max-rate: the waits end at once, and no batch is written
   * after the signal (a writer waiting in the throttle used to write its batch when the wait ran
   * out).
   */
  @Test
  void sigtermWhileTheThrottleHoldsTheWritersBackWritesNothingMore() throws Exception {
    users.drop();
    List<BsonDocument> seeded = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      seeded.add(
          BsonDocument.parse(
              "{_id: " + i + ", createdAt: {$date: '2021-01-01T00:00:00Z'}, achievements: ['a']}"));
    }
    users.insertMany(seeded);
    Path out = File.createTempFile("migrate-out", ".txt").toPath();
    Path err = File.createTempFile("migrate-err", ".txt").toPath();
    List<String> command = new ArrayList<>(List.of(javaBinary(), "-jar", JAR.toString()));
    // a batch of 5 users every 10 s: both writers spend nearly all their time in the throttle
    command.addAll(
        List.of(
            against(
                "--yes", "--json", "--batch-size", "5", "--writers", "2", "--max-rate", "0.5")));
    Process process =
        new ProcessBuilder(command)
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    for (int i = 0; i < 600 && migratedNow() == 0; i++) {
      Thread.sleep(50);
    }
    long atTheSignal = migratedNow();
    assertThat(atTheSignal).isEqualTo(5);

    process.destroy(); // SIGTERM

    assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(Files.readString(err)).isEqualTo(130);
    assertThat(migratedNow()).isEqualTo(atTheSignal);
    BsonDocument json = BsonDocument.parse(Files.readString(out));
    assertThat(json.get("migrated").asNumber().longValue()).isEqualTo(atTheSignal);
    assertThat(json.getString("status").getValue()).isEqualTo("interrupted");
    assertThat(database.getCollection("migrate_history_locks").countDocuments()).isZero();
  }

  /**
   * An operator on another machine pauses a run: from a second process, {@code pause} returns once
   * the run confirms that none of its writes is on the wire, no user is written while it is paused
   * (the collection sampled twice, seconds apart), {@code status} says so, and {@code resume} lets
   * the run finish.
   */
  @Test
  void pauseFromASecondProcessHoldsTheRunAndResumeFinishesIt() throws Exception {
    Path out = File.createTempFile("migrate-out", ".txt").toPath();
    Process run =
        startRunAndWaitForProgress(
            out, "--yes", "--batch-size", "100", "--max-rate", "3000", "--check-interval", "200ms");

    Finished pause = start(ProcessBuilder.Redirect.PIPE, subcommand("pause"));
    assertThat(pause.exit()).as(pause.err()).isZero();
    assertThat(pause.out())
        .endsWith(
            "Paused: no bulk write of the run's is on the wire, and none starts until resume.\n");
    long paused = migratedNow();
    Thread.sleep(2000);
    assertThat(migratedNow()).isEqualTo(paused).isLessThan(users.countDocuments() / 2);
    Finished status = start(ProcessBuilder.Redirect.PIPE, subcommand("status"));
    assertThat(status.out()).containsPattern("Writes: +paused by pause from .+@.+ \\(pid \\d+\\)");

    assertThat(start(ProcessBuilder.Redirect.PIPE, subcommand("set", "--max-rate", "0")).exit())
        .isZero();
    Finished resume = start(ProcessBuilder.Redirect.PIPE, subcommand("resume"));
    assertThat(resume.exit()).as(resume.err()).isZero();
    assertThat(run.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(run.exitValue()).as(Files.readString(out)).isEqualTo(3); // the sample's rejects
    assertThat(Files.readString(out))
        .containsPattern("Paused by pause from .+: no new batch until resume.\n")
        .containsPattern("Resumed by resume from .+\\.\n");
    Finished verify = start(ProcessBuilder.Redirect.PIPE, subcommand("verify"));
    assertThat(verify.exit()).as(verify.out()).isZero();
  }

  /** {@code command} (a subcommand) against this test's database, then {@code args}. */
  private String[] subcommand(String command, String... args) {
    List<String> all = new ArrayList<>(List.of(command));
    all.addAll(List.of(against(args)));
    return all.toArray(String[]::new);
  }

  /**
   * SIGTERM while the prompt waits for an answer that never comes: the process ends at once, having
   * written nothing, and under --json standard output still holds its one object.
   */
  @Test
  void aSignalAtThePromptEndsAtOnceWithItsOneJsonObject() throws Exception {
    List<String> before = snapshot();
    Path out = File.createTempFile("migrate-out", ".txt").toPath();
    Path err = File.createTempFile("migrate-err", ".txt").toPath();
    List<String> command = new ArrayList<>(List.of(javaBinary(), "-jar", JAR.toString()));
    command.addAll(List.of(against("--json")));
    Process process =
        new ProcessBuilder(command) // standard input: a pipe nobody writes to
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    app.achievements.support.Eventually.await(
        "the prompt",
        Duration.ofSeconds(30),
        () -> {
          try {
            return Files.readString(err).contains("Type YES to continue: ");
          } catch (IOException e) {
            return false;
          }
        });

    // SIGTERM alone: Process.destroy() also closes the process's standard input right after the
    // signal, and an end of input that the prompt reads before the signal's handler runs is a
    // refusal (exit 4), which is not what this test is about
    process.toHandle().destroy();

    assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isEqualTo(130);
    assertThat(Files.readString(out))
        .isEqualTo(
            "{\"command\": \"migrate\", \"error\": \"interrupted before anything was written\","
                + " \"exitCode\": 130}\n");
    assertThat(snapshot()).isEqualTo(before);
    assertThat(database.getCollection("migrate_history").countDocuments()).isZero();
  }

  @Test
  void killNineLeavesEveryUserWholeAndTheRerunFinishes() throws Exception {
    Process process =
        startRunAndWaitForProgress(File.createTempFile("migrate-out", ".txt").toPath());
    List<BsonDocument> before = usersAsSeeded();
    Thread.sleep(new Random().nextInt(300)); // a random moment

    process.destroyForcibly(); // SIGKILL: no hook, no summary, the lease stays until it lapses

    assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
    assertThat(assertEveryUserWhole(before)).isBetween(1L, 29_999L);
    // the dead run's lease has not lapsed yet: a plain rerun is refused, --force-unlock proceeds
    assertThat(start(ProcessBuilder.Redirect.PIPE, against("--yes")).exit()).isEqualTo(5);
    assertTheRerunFinishes("--force-unlock");
  }

  @Test
  void helpExitsZero() throws Exception {
    Finished help = start(ProcessBuilder.Redirect.PIPE, "--help");
    assertThat(help.exit()).isZero();
    assertThat(help.out()).contains("Usage: migrate.jar").contains("Exit codes:");
    assertThat(help.err()).isEmpty();
  }

  @Test
  void versionIsTheManifestVersion() throws Exception {
    Finished version = start(ProcessBuilder.Redirect.PIPE, "--version");
    assertThat(version.exit()).isZero();
    assertThat(version.out()).matches("achievements-migrate \\d+\\.\\d+\\.\\d+.*\n");
  }

  @Test
  void usageErrorExitsTwo() throws Exception {
    Finished usage = start(ProcessBuilder.Redirect.PIPE, against("--batch-size", "0"));
    assertThat(usage.exit()).isEqualTo(2);
    assertThat(usage.err())
        .isEqualTo("error: --batch-size must be 1 to 100000, not 0 (see --help)\n");
  }

  @Test
  void stdinFromDevNullRefusesAndWritesNothing() throws Exception {
    List<String> before = snapshot();
    Finished refused = start(ProcessBuilder.Redirect.from(new File("/dev/null")), against());
    assertThat(refused.exit()).isEqualTo(4);
    assertThat(refused.out()).contains("Aborted: no answer on standard input");
    assertThat(refused.err()).isEmpty();
    assertThat(snapshot()).isEqualTo(before);
  }

  @Test
  void pipedYesMigrates() throws Exception {
    Path yes = File.createTempFile("yes", ".txt").toPath();
    Files.writeString(yes, "YES\n");
    Finished run = start(ProcessBuilder.Redirect.from(yes.toFile()), against());
    assertThat(run.exit()).as(run.out() + run.err()).isEqualTo(3); // the sample has rejects
    assertThat(run.out()).contains("Type YES to continue: \nSummary\n");
    assertThat(
            users.countDocuments(
                BsonDocument.parse("{achievements_v2: {$type: 'array', $ne: []}}")))
        .isGreaterThan(0);
  }
}
