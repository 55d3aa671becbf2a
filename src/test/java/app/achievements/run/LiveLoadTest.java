package app.achievements.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.achievements.embedded.EmbeddedMongo;
import app.achievements.pace.Pace;
import app.achievements.pace.PaceOptions;
import app.achievements.store.BatchResult;
import app.achievements.store.LiveRuns;
import app.achievements.store.MongoRunJournal;
import app.achievements.store.MongoUserStore;
import app.achievements.store.PlannedWrite;
import app.achievements.store.ReplicationLag;
import app.achievements.store.Retry;
import app.achievements.store.RunStatus;
import app.achievements.store.UserStore;
import app.achievements.support.Eventually;
import app.achievements.support.ForwardingStore;
import app.achievements.support.TestMongo;
import com.mongodb.MongoCommandException;
import com.mongodb.ServerAddress;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.bson.BsonBoolean;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonString;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A run beside a busy cluster: replication lag injected mid-run, an operator's pause and resume and
 * change of pace, a time limit, an overloaded server. Against an embedded server of its own, whose
 * answers to {@code replSetGetStatus} and {@code replSetGetConfig} the test controls (a test seam),
 * with the real journal and lag reader. Each run is slowed by {@code --max-rate} so that it is
 * still going when the test acts; what it asserts is the database's state and the history, never a
 * timing.
 */
@Timeout(120)
class LiveLoadTest {

  private static final int USERS = 3000;
  private static final Duration CHECK = Duration.ofMillis(100);

  private EmbeddedMongo server;
  private MongoClient client;
  private MongoDatabase database;
  private MongoCollection<BsonDocument> users;
  private MongoCollection<BsonDocument> history;
  private MongoCollection<BsonDocument> locks;
  private final StringWriter out = new StringWriter();
  private StopSignal stop = new StopSignal();
  private Pace pace;

  @BeforeEach
  void serverOfItsOwn() {
    server = EmbeddedMongo.start(0);
    client = MongoClients.create(server.connectionString());
    database = client.getDatabase("live");
    users = database.getCollection("users", BsonDocument.class);
    history = database.getCollection("migrate_history", BsonDocument.class);
    locks = database.getCollection("migrate_history_locks", BsonDocument.class);
    users.insertMany(TestMongo.plainUsers(USERS));
  }

  @AfterEach
  void close() {
    stop.request();
    client.close();
    server.close();
  }

  private long migrated() {
    return users.countDocuments(Filters.exists("achievements_v2"));
  }

  private MongoRunJournal journal() {
    return MongoRunJournal.builder(
            history,
            locks,
            "live.users",
            new BsonDocument("_id", new BsonString("run-" + System.nanoTime()))
                .append("command", new BsonString("migrate"))
                .append("host", new BsonString("bastion"))
                .append("user", new BsonString("alice"))
                .append("pid", new BsonInt64(42)))
        .retry(Retry.none())
        .serverTime(MongoRunJournal.serverTime(database, "test"))
        .build();
  }

  private RunSetup setup(UserStore store, PaceOptions options, Retry retry) {
    pace =
        new Pace(
            options, 100, new ReplicationLag(client.getDatabase("admin"), "test"), stop::sleep);
    return RunSetup.builder(
            store,
            new PrintWriter(out, true),
            Clock.systemUTC(),
            MigrationOptions.defaults().withAssumeYes(true).withBatchSize(100))
        .progress(ProgressListener.NONE)
        .journal(journal())
        .retry(retry)
        .pace(pace)
        .stop(stop)
        .build();
  }

  private RunSetup setup(PaceOptions options) {
    return setup(new MongoUserStore(users), options, Retry.none());
  }

  /** Slow enough to act on mid-run (3000 users at 1500 a second), checked every 100 ms. */
  private static PaceOptions.Builder slowly() {
    return PaceOptions.builder().maxRate(1500).checkInterval(CHECK).maxLag(Duration.ofSeconds(1));
  }

  private Thread start(RunSetup setup, AtomicReference<MigrationResult> result) {
    Thread run = new Thread(() -> result.set(new MigrationRunner(setup).run()), "the-run");
    run.start();
    return run;
  }

  /** Waits for the run to hold every write back with none on the wire; then no user is written. */
  private void assertHeldBackWithNothingWritten(String reason) throws InterruptedException {
    Eventually.await(
        "the run paused: " + reason,
        Duration.ofSeconds(30),
        () ->
            pace.brake().state().name().equals("paused")
                && pace.brake().state().reason().startsWith(reason));
    long before = migrated();
    Thread.sleep(1500); // fifteen check intervals: the sample is seconds apart
    assertThat(migrated()).isEqualTo(before);
    assertThat(before).isLessThan(USERS);
  }

  @Test
  void lagInjectedMidRunWritesNoUserWhileItLastsAndTheRunFinishesOnceItClears() throws Exception {
    server.replication().replicate(Duration.ZERO);
    AtomicReference<MigrationResult> result = new AtomicReference<>();
    Thread run = start(setup(slowly().build()), result);
    Eventually.await("some users migrated", Duration.ofSeconds(30), () -> migrated() >= 300);

    server.replication().replicate(Duration.ofSeconds(5));
    assertHeldBackWithNothingWritten("paused: lag 5 s > 1 s (embedded-secondary:27018)");

    server.replication().replicate(Duration.ZERO);
    run.join(60_000);
    assertThat(result.get().status()).isEqualTo(RunStatus.COMPLETED);
    assertThat(result.get().migrated()).isEqualTo(USERS);
    assertThat(migrated()).isEqualTo(USERS);
    assertThat(out.toString())
        .contains("Replication lag: 0 s (embedded-secondary:27018); no new batch while it is over")
        .contains("Paused: lag 5 s > 1 s (embedded-secondary:27018).\nWriting again.\n");
  }

  @Test
  void aLagThatCannotBeReadHoldsWritesBackUntilItCanFailingClosed() throws Exception {
    server.replication().replicate(Duration.ZERO);
    AtomicReference<MigrationResult> result = new AtomicReference<>();
    Thread run = start(setup(slowly().build()), result);
    Eventually.await("some users migrated", Duration.ofSeconds(30), () -> migrated() >= 300);

    server.replication().secondaryDown();
    assertHeldBackWithNothingWritten(
        "paused: lag unknown (embedded-secondary:27018 is not reachable");
    server.replication().refuse(11600, "InterruptedAtShutdown", "shutting down");
    assertHeldBackWithNothingWritten("paused: lag unknown (replSetGetStatus failed");

    server.replication().replicate(Duration.ZERO);
    run.join(60_000);
    assertThat(result.get().status()).isEqualTo(RunStatus.COMPLETED);
    assertThat(migrated()).isEqualTo(USERS);
  }

  @Test
  void aLagThatThisUserCanNeverReadRefusesARealRunBeforeAnythingIsWritten() {
    server.replication().refuse(13, "Unauthorized", "not authorized on admin");
    assertThatThrownBy(() -> new MigrationRunner(setup(slowly().build())).run())
        .isInstanceOf(RunRefusedException.class)
        .hasMessage(
            "cannot read the replication lag: this user may not run replSetGetStatus: grant it the"
                + " clusterMonitor role (on admin), or pass --max-lag 0 to run without the lag"
                + " check");
    assertThat(migrated()).isZero();
    assertThat(history.countDocuments()).isZero();
    assertThat(locks.countDocuments()).isZero();
  }

  @Test
  void anyOtherErrorTheServerAnswersTheLagWithRefusesARunAtItsStart() {
    server.replication().refuse(8000, "AtlasError", "replSetGetStatus is not allowed in this tier");
    assertThatThrownBy(() -> new MigrationRunner(setup(slowly().build())).run())
        .isInstanceOf(RunRefusedException.class)
        .hasMessage(
            "cannot read the replication lag: replSetGetStatus failed: error 8000"
                + " replSetGetStatus is not allowed in this tier; pass --max-lag 0 to run without"
                + " the lag check");
    assertThat(migrated()).isZero();
    assertThat(locks.countDocuments()).isZero();
  }

  @Test
  void anOperatorsPauseWritesNoUserUntilResumeAndBothAreRecorded() throws Exception {
    AtomicReference<MigrationResult> result = new AtomicReference<>();
    Thread run = start(setup(slowly().maxLag(Duration.ZERO).build()), result);
    Eventually.await("some users migrated", Duration.ofSeconds(30), () -> migrated() >= 300);
    LiveRuns runs = new LiveRuns(locks, Duration.ofSeconds(10), "test");
    LiveRuns.LiveRun live = runs.find("live.users").orElseThrow();
    BsonDocument bob =
        BsonDocument.parse("{command: 'pause', user: 'bob', host: 'laptop', pid: 7}");
    assertThat(
            runs.request(
                "live.users", live.runId(), new BsonDocument("paused", BsonBoolean.TRUE), bob))
        .contains(1L);

    assertHeldBackWithNothingWritten("paused by pause from bob@laptop (pid 7)");
    Eventually.await(
        "the run says it paused, with no write on the wire",
        Duration.ofSeconds(10),
        () -> {
          BsonDocument status = runs.find("live.users").orElseThrow().status();
          return status.getNumber("control").longValue() == 1
              && status.getString("state").getValue().equals("paused");
        });

    bob.put("command", new BsonString("resume"));
    runs.request("live.users", live.runId(), new BsonDocument("paused", BsonBoolean.FALSE), bob);
    run.join(60_000);
    assertThat(result.get().status()).isEqualTo(RunStatus.COMPLETED);
    assertThat(migrated()).isEqualTo(USERS);
    BsonDocument entry = history.find().first();
    assertThat(entry.getArray("controls").stream().map(c -> c.asDocument().getBoolean("paused")))
        .containsExactly(BsonBoolean.TRUE, BsonBoolean.FALSE);
    assertThat(entry.getArray("controls").get(0).asDocument().getString("by").getValue())
        .isEqualTo("pause from bob@laptop (pid 7)");
    assertThat(out.toString())
        .contains("Paused by pause from bob@laptop (pid 7): no new batch until resume.\n")
        .contains("Resumed by resume from bob@laptop (pid 7).\n");
  }

  @Test
  void aChangeOfPaceIsAppliedWithinACheckIntervalAndRecorded() throws Exception {
    AtomicReference<MigrationResult> result = new AtomicReference<>();
    Thread run = start(setup(slowly().maxRate(300).maxLag(Duration.ZERO).build()), result);
    Eventually.await("some users migrated", Duration.ofSeconds(30), () -> migrated() >= 100);
    LiveRuns runs = new LiveRuns(locks, Duration.ofSeconds(10), "test");
    runs.request(
        "live.users",
        runs.find("live.users").orElseThrow().runId(),
        new BsonDocument("batchSize", new BsonInt32(25)).append("maxRate", new BsonInt32(0)),
        BsonDocument.parse("{command: 'set', user: 'bob', host: 'laptop', pid: 7}"));
    Eventually.await(
        "the batch size applied", Duration.ofSeconds(10), () -> pace.sizer().max() == 25);
    assertThat(pace.throttle().rate()).isZero();
    run.join(60_000);
    assertThat(result.get().status()).isEqualTo(RunStatus.COMPLETED);
    BsonDocument applied = history.find().first().getArray("controls").get(0).asDocument();
    assertThat(applied.getInt32("batchSize").getValue()).isEqualTo(25);
    assertThat(applied.getDouble("maxRate").getValue()).isZero();
    assertThat(out.toString())
        .contains("Changed by set from bob@laptop (pid 7): max rate none, batch size 25.\n");
  }

  @Test
  void aTimeLimitStopsTheRunCleanlyAndTheNextRunFinishes() throws Exception {
    MigrationResult first =
        new MigrationRunner(
                setup(
                    slowly()
                        .maxRate(600)
                        .maxLag(Duration.ZERO)
                        .stopAfter(Duration.ofMillis(1500))
                        .build()))
            .run();
    assertThat(first.status()).isEqualTo(RunStatus.STOPPED);
    assertThat(first.failure()).isInstanceOf(TimeLimitException.class);
    long written = migrated();
    assertThat(written).isBetween(1L, USERS - 1L);
    assertThat(first.migrated() + first.unfinished()).isEqualTo(first.eligible());
    assertThat(history.find().first().getString("status").getValue()).isEqualTo("stopped");
    assertThat(locks.countDocuments()).isZero();
    assertThat(out.toString()).contains("Stopped at the time limit (--stop-after); counts so far:");

    stop = new StopSignal(); // the next run's own
    MigrationResult second = new MigrationRunner(setup(PaceOptions.none())).run();
    assertThat(second.status()).isEqualTo(RunStatus.COMPLETED);
    assertThat(second.migrated()).isEqualTo(USERS - written);
    assertThat(migrated()).isEqualTo(USERS);
  }

  @Test
  void anOverloadedServerIsBackedOffWithoutSpendingTheRetriesAndTheRunFinishes() {
    AtomicInteger refused = new AtomicInteger();
    UserStore overloaded =
        new ForwardingStore(new MongoUserStore(users)) {
          @Override
          public BatchResult write(List<PlannedWrite> writes) {
            if (refused.getAndIncrement() < 3) {
              throw new MongoCommandException(
                  BsonDocument.parse(
                      "{ok: 0, code: 462, codeName: 'IngressRequestRateLimitExceeded',"
                          + " errmsg: 'too many requests', errorLabels: ['SystemOverloadedError',"
                          + " 'RetryableError']}"),
                  new ServerAddress());
            }
            return super.write(writes);
          }
        };
    Retry noRetries = new Retry(0, Duration.ZERO, stop::sleep, new Random(3));
    MigrationResult result =
        new MigrationRunner(
                setup(overloaded, PaceOptions.builder().checkInterval(CHECK).build(), noRetries))
            .run();
    assertThat(result.status()).isEqualTo(RunStatus.COMPLETED);
    assertThat(migrated()).isEqualTo(USERS);
    assertThat(refused).hasValueGreaterThan(3);
    assertThat(out.toString())
        .contains(
            "Backing off: the server is overloaded (error 462 IngressRequestRateLimitExceeded).");
  }

  private void pauseTheRun(String command) {
    LiveRuns runs = new LiveRuns(locks, Duration.ofSeconds(10), "test");
    runs.request(
        "live.users",
        runs.find("live.users").orElseThrow().runId(),
        new BsonDocument("paused", BsonBoolean.TRUE),
        BsonDocument.parse("{command: '" + command + "', user: 'bob', host: 'laptop', pid: 7}"));
  }

  @Test
  void aPausedRunKeepsItsLockAndStillStopsAtOnceWhenTold() throws Exception {
    AtomicReference<MigrationResult> result = new AtomicReference<>();
    Thread run = start(setup(slowly().maxLag(Duration.ZERO).build()), result);
    Eventually.await("some users migrated", Duration.ofSeconds(30), () -> migrated() >= 300);
    pauseTheRun("pause");
    assertHeldBackWithNothingWritten("paused by pause from bob@laptop (pid 7)");
    BsonDocument lock = locks.find().first();
    Thread.sleep(2500); // past a renewal: a paused run renews its lease
    assertThat(locks.find().first().getDateTime("expiresAt").getValue())
        .isGreaterThan(lock.getDateTime("expiresAt").getValue());
    long paused = migrated();

    stop.request(); // Ctrl-C
    run.join(30_000);
    assertThat(result.get().status()).isEqualTo(RunStatus.INTERRUPTED);
    assertThat(migrated()).isEqualTo(paused);
    assertThat(result.get().migrated()).isEqualTo(paused);
    assertThat(result.get().migrated() + result.get().unfinished())
        .isEqualTo(result.get().eligible());
    assertThat(locks.countDocuments()).isZero();
    assertThat(history.find().first().getString("status").getValue()).isEqualTo("interrupted");
  }

  @Test
  void aRollbackIsPausedAndHeldBackByLagLikeAMigration() throws Exception {
    assertThat(new MigrationRunner(setup(PaceOptions.none())).run().migrated()).isEqualTo(USERS);
    server.replication().replicate(Duration.ZERO);
    AtomicReference<RollbackResult> result = new AtomicReference<>();
    RunSetup rollback = setup(slowly().build());
    Thread run =
        new Thread(
            () ->
                result.set(
                    new RollbackRunner(
                            rollback, MongoRunJournal.recordedRunStarts(history, "live", "users"))
                        .run()));
    run.start();
    Eventually.await(
        "some users rolled back", Duration.ofSeconds(30), () -> migrated() <= USERS - 300);

    server.replication().replicate(Duration.ofSeconds(5));
    assertHeldBackWithNothingWritten("paused: lag 5 s > 1 s");
    server.replication().replicate(Duration.ZERO);
    pauseTheRun("pause");
    assertHeldBackWithNothingWritten("paused by pause from bob@laptop (pid 7)");

    LiveRuns runs = new LiveRuns(locks, Duration.ofSeconds(10), "test");
    runs.request(
        "live.users",
        runs.find("live.users").orElseThrow().runId(),
        new BsonDocument("paused", BsonBoolean.FALSE).append("maxRate", new BsonInt32(0)),
        BsonDocument.parse("{command: 'resume', user: 'bob', host: 'laptop', pid: 7}"));
    run.join(60_000);
    assertThat(result.get().status()).isEqualTo(RunStatus.COMPLETED);
    assertThat(result.get().rolledBack()).isEqualTo(USERS);
    assertThat(migrated()).isZero();
  }
}
