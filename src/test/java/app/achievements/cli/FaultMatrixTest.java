package app.achievements.cli;

import static org.assertj.core.api.Assertions.assertThat;

import app.achievements.embedded.SampleUsers;
import app.achievements.pace.InFlight;
import app.achievements.rules.Finding;
import app.achievements.rules.Verification;
import app.achievements.run.MigrationOptions;
import app.achievements.store.MongoRunJournal;
import app.achievements.support.FaultProxy;
import app.achievements.support.TestMongo;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * The faults of a production network, each injected by a TCP proxy in the middle of a migrate, a
 * rollback and a verify: connections reset again and again; a network gone silent for 40 s, or for
 * good; an outage of 15 s (a crash or failover as the client sees it); 200 ms added to every packet
 * for 10 s. After each, no user is half-written or lost, the run finished in one go or exited on
 * its own, and the history says what happened.
 *
 * <p>Short timeouts keep it quick: 2 s per operation (a socket gives up after 3 s), 2 s to select a
 * server. The tests of this class run at once: each has its own proxy and database.
 */
class FaultMatrixTest extends CommandTestBase {

  /** About a tenth of what the commands read: the fault comes in the middle. */
  private static final long MIDWAY = 150_000;

  private final ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor();
  private FaultProxy proxy;

  @BeforeEach
  void proxyAndUsers() throws IOException {
    proxy = new FaultProxy(TestMongo.server().port());
    SampleUsers.insert(users, 3000, 11);
  }

  @AfterEach
  void closeProxy() {
    later.shutdownNow();
    proxy.close();
  }

  // ---- what each command is asked to do, through the proxy ----------------------------------

  private String[] through(String command, String... more) {
    List<String> args = new ArrayList<>();
    if (!command.equals("migrate")) {
      args.add(command);
    }
    args.addAll(
        List.of(
            "--uri",
            "mongodb://127.0.0.1:"
                + proxy.port()
                + "/?serverSelectionTimeoutMS=2000&connectTimeoutMS=2000&heartbeatFrequencyMS=500",
            "-d",
            database.getName(),
            "--json",
            "--operation-timeout",
            "2",
            "--max-retries",
            "100"));
    if (!command.equals("verify")) {
      args.addAll(List.of("--yes", "--batch-size", "50"));
    }
    args.addAll(List.of(more));
    return args.toArray(String[]::new);
  }

  private BsonDocument json() {
    return BsonDocument.parse(out.toString());
  }

  /** Migrates directly (not through the proxy): what rollback and verify are then run on. */
  private void migrated() {
    assertThat(run("", against("--yes", "--quiet"))).isEqualTo(3);
  }

  private Set<Instant> runStarts() {
    return MongoRunJournal.recordedRunStarts(
        database.getCollection("migrate_history", BsonDocument.class), database.getName(), "users");
  }

  private BsonDocument lastRun(String command) {
    return database
        .getCollection("migrate_history", BsonDocument.class)
        .find(new BsonDocument("command", new BsonString(command)))
        .sort(BsonDocument.parse("{startedAt: -1, _id: -1}"))
        .first();
  }

  // ---- what must hold after each -----------------------------------------------------------

  /** The migration is done: every user whole, none left to migrate, recorded, lock released. */
  private void assertMigrated(List<BsonDocument> before) {
    assertThat(json().getInt32("exitCode").getValue()).as(err.toString()).isEqualTo(3);
    List<BsonDocument> after = TestMongo.snapshot(users);
    assertThat(after).hasSameSizeAs(before);
    Set<Instant> starts = runStarts();
    for (int i = 0; i < before.size(); i++) {
      Finding finding = Verification.check(after.get(i), starts).finding();
      if (!after.get(i).equals(before.get(i))) {
        assertThat(finding).as(after.get(i).toJson()).isEqualTo(Finding.MIGRATED);
      }
      assertThat(finding).as(after.get(i).toJson()).isNotEqualTo(Finding.STILL_ELIGIBLE);
    }
    assertThat(json().get("failed").asNumber().longValue()).isZero();
    assertThat(lastRun("migrate").getString("status").getValue()).isEqualTo("completed");
    assertThat(database.getCollection("migrate_history_locks").countDocuments()).isZero();
  }

  /** Rolled back: no v2 of the migration's left, nothing else changed, recorded, lock released. */
  private void assertRolledBack(List<BsonDocument> original) {
    assertThat(json().getInt32("exitCode").getValue()).as(err.toString()).isIn(0, 3);
    assertThat(json().get("failed").asNumber().longValue()).isZero();
    Set<Instant> starts = runStarts();
    List<BsonDocument> after = TestMongo.snapshot(users);
    for (int i = 0; i < after.size(); i++) {
      assertThat(Verification.check(after.get(i), starts).finding())
          .as(after.get(i).toJson())
          .isNotEqualTo(Finding.MIGRATED);
      BsonDocument withoutV2 = after.get(i).clone();
      withoutV2.remove("achievements_v2");
      BsonDocument originalWithoutV2 = original.get(i).clone();
      originalWithoutV2.remove("achievements_v2");
      assertThat(withoutV2).isEqualTo(originalWithoutV2);
    }
    assertThat(lastRun("rollback").getString("status").getValue()).isEqualTo("completed");
    assertThat(database.getCollection("migrate_history_locks").countDocuments()).isZero();
  }

  /** What verify finds on the data directly, without faults: what it must find through them. */
  private BsonDocument verifiedDirectly() {
    run(
        "",
        "verify",
        "--uri",
        TestMongo.server().connectionString(),
        "-d",
        database.getName(),
        "--json");
    BsonDocument expected = json();
    expected.remove("durationMs");
    return expected;
  }

  private void assertVerifiedAs(BsonDocument expected) {
    BsonDocument found = json();
    found.remove("durationMs");
    assertThat(found).as(err.toString()).isEqualTo(expected);
  }

  // ---- resets ------------------------------------------------------------------------------

  /**
   * From the middle of the command on (its first contact with the server is not retried: a server
   * that cannot be reached at the start fails at once), every connection reset every 300 ms.
   */
  private void resetEvery300Ms() {
    proxy.onBytesFromServer(
        proxy.bytesFromServer() + MIDWAY / 3,
        () -> later.scheduleAtFixedRate(proxy::cutAll, 0, 300, TimeUnit.MILLISECONDS));
  }

  @Test
  @Execution(ExecutionMode.CONCURRENT)
  void migrateThroughConnectionsResetAgainAndAgain() {
    List<BsonDocument> before = TestMongo.snapshot(users);
    resetEvery300Ms();
    run("", through("migrate"));
    assertThat(proxy.cuts()).isGreaterThan(2);
    assertMigrated(before);
  }

  @Test
  @Execution(ExecutionMode.CONCURRENT)
  void rollbackThroughConnectionsResetAgainAndAgain() {
    List<BsonDocument> original = TestMongo.snapshot(users);
    migrated();
    resetEvery300Ms();
    run("", through("rollback"));
    assertRolledBack(original);
  }

  @Test
  @Execution(ExecutionMode.CONCURRENT)
  void verifyThroughConnectionsResetAgainAndAgain() {
    migrated();
    BsonDocument expected = verifiedDirectly();
    resetEvery300Ms();
    run("", through("verify"));
    assertVerifiedAs(expected);
  }

  // ---- silent for 40 s, then forwarding again ------------------------------------------------

  private void silentFor40Seconds() {
    proxy.onBytesFromServer(
        proxy.bytesFromServer() + MIDWAY,
        () -> {
          proxy.silence();
          later.schedule(this::heal, 40, TimeUnit.SECONDS);
        });
  }

  private void heal() {
    try {
      proxy.heal();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private String[] patiently(String command) {
    return through(command, "--retry-timeout", "90");
  }

  @Test
  @Execution(ExecutionMode.CONCURRENT)
  void migrateFinishesInOneGoAcrossFortySilentSeconds() {
    List<BsonDocument> before = TestMongo.snapshot(users);
    silentFor40Seconds();
    run("", patiently("migrate"));
    assertMigrated(before);
  }

  @Test
  @Execution(ExecutionMode.CONCURRENT)
  void rollbackFinishesInOneGoAcrossFortySilentSeconds() {
    List<BsonDocument> original = TestMongo.snapshot(users);
    migrated();
    silentFor40Seconds();
    run("", patiently("rollback"));
    assertRolledBack(original);
  }

  @Test
  @Execution(ExecutionMode.CONCURRENT)
  void verifyFinishesInOneGoAcrossFortySilentSeconds() {
    migrated();
    BsonDocument expected = verifiedDirectly();
    silentFor40Seconds();
    run("", patiently("verify"));
    assertVerifiedAs(expected);
  }

  // ---- silent for good ---------------------------------------------------------------------

  /**
   * The command must end on its own: the step that failed is retried for --retry-timeout (10 s),
   * each attempt given up after the operation timeout and its socket margin (3 s); then the writes
   * on the wire get their grace (10 s) and the journal one attempt (3 s).
   */
  private static final Duration ON_ITS_OWN = Duration.ofSeconds(10 + 3 + 3 + 10 + 3 + 10);

  private long silentForGoodAndTimed(String command) {
    proxy.onBytesFromServer(proxy.bytesFromServer() + MIDWAY, proxy::silence);
    long started = System.nanoTime();
    int exit = run("", through(command, "--retry-timeout", "10"));
    long took = System.nanoTime() - started;
    assertThat(exit).isEqualTo(1);
    assertThat(Duration.ofNanos(took)).isLessThan(ON_ITS_OWN);
    return took;
  }

  @Test
  @Execution(ExecutionMode.CONCURRENT)
  void migrateExitsOnItsOwnWhenTheNetworkStaysSilent() {
    List<BsonDocument> before = TestMongo.snapshot(users);
    silentForGoodAndTimed("migrate");
    assertThat(err.toString()).contains("Stopped by an error; counts so far:\nSummary\n");
    assertThat(json().getString("status").getValue()).isEqualTo("failed");
    // the server was out of reach: the run could not record its end; the next run will
    assertThat(lastRun("migrate").getString("status").getValue()).isEqualTo("running");
    List<BsonDocument> after = TestMongo.snapshot(users);
    Set<Instant> starts = runStarts();
    for (int i = 0; i < before.size(); i++) {
      if (!after.get(i).equals(before.get(i))) {
        assertThat(Verification.check(after.get(i), starts).finding()).isEqualTo(Finding.MIGRATED);
      }
    }
  }

  @Test
  @Execution(ExecutionMode.CONCURRENT)
  void rollbackExitsOnItsOwnWhenTheNetworkStaysSilent() {
    migrated();
    silentForGoodAndTimed("rollback");
    assertThat(err.toString()).contains("Stopped by an error; counts so far:\nRollback summary\n");
    assertThat(json().getString("status").getValue()).isEqualTo("failed");
  }

  @Test
  @Execution(ExecutionMode.CONCURRENT)
  void verifyExitsOnItsOwnWhenTheNetworkStaysSilent() {
    migrated();
    silentForGoodAndTimed("verify");
    assertThat(err.toString()).contains("Stopped by an error; counts so far:\n");
  }

  // ---- an outage of 15 s -------------------------------------------------------------------

  private void downFor15Seconds() {
    proxy.onBytesFromServer(
        proxy.bytesFromServer() + MIDWAY,
        () -> {
          proxy.goDown();
          later.schedule(this::heal, 15, TimeUnit.SECONDS);
        });
  }

  @Test
  @Execution(ExecutionMode.CONCURRENT)
  void migrateFinishesInOneGoAcrossAFifteenSecondOutage() {
    List<BsonDocument> before = TestMongo.snapshot(users);
    downFor15Seconds();
    run("", patiently("migrate"));
    assertMigrated(before);
  }

  @Test
  @Execution(ExecutionMode.CONCURRENT)
  void rollbackFinishesInOneGoAcrossAFifteenSecondOutage() {
    List<BsonDocument> original = TestMongo.snapshot(users);
    migrated();
    downFor15Seconds();
    run("", patiently("rollback"));
    assertRolledBack(original);
  }

  @Test
  @Execution(ExecutionMode.CONCURRENT)
  void verifyFinishesInOneGoAcrossAFifteenSecondOutage() {
    migrated();
    BsonDocument expected = verifiedDirectly();
    downFor15Seconds();
    run("", patiently("verify"));
    assertVerifiedAs(expected);
  }

  // ---- 200 ms on every packet for 10 s -----------------------------------------------------

  /** Slow from the start for 10 s; returns the connections opened before it healed. */
  private int slowFor10Seconds() {
    proxy.slow(Duration.ofMillis(200));
    later.schedule(this::heal, 10, TimeUnit.SECONDS);
    return proxy.accepted();
  }

  /** No operation timed out: a client that times out on a socket drops it and opens another. */
  private void assertNothingTimedOut(int pool) {
    assertThat(proxy.accepted()).as("connections opened").isLessThanOrEqualTo(pool);
  }

  @Test
  @Execution(ExecutionMode.CONCURRENT)
  void migrateFinishesWhenEveryPacketIsSlowAndNothingTimesOut() {
    List<BsonDocument> before = TestMongo.snapshot(users);
    slowFor10Seconds();
    run("", through("migrate", "--max-rate", "500"));
    assertMigrated(before);
    // the driver's monitor, the reader, the run's monitor, the journal and the writes in flight
    // (the two writers' window widens at a distance): no reconnection
    assertNothingTimedOut(4 + InFlight.SPREAD * MigrationOptions.DEFAULT_WRITERS);
  }

  @Test
  @Execution(ExecutionMode.CONCURRENT)
  void rollbackFinishesWhenEveryPacketIsSlowAndNothingTimesOut() {
    List<BsonDocument> original = TestMongo.snapshot(users);
    migrated();
    slowFor10Seconds();
    run("", through("rollback", "--max-rate", "500"));
    assertRolledBack(original);
    assertNothingTimedOut(8);
  }

  @Test
  @Execution(ExecutionMode.CONCURRENT)
  void verifyFinishesWhenEveryPacketIsSlowAndNothingTimesOut() {
    migrated();
    BsonDocument expected = verifiedDirectly();
    slowFor10Seconds();
    run("", through("verify"));
    assertVerifiedAs(expected);
    assertNothingTimedOut(8);
  }
}
