package app.achievements.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.achievements.support.Eventually;
import app.achievements.support.TestMongo;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.bson.BsonDocument;
import org.bson.BsonInt64;
import org.bson.BsonString;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The lease lock and the history entry, against the embedded server. */
class MongoRunJournalTest {

  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static final Instant NOW = Instant.parse("2026-01-02T03:04:05Z");

  private MongoDatabase database;
  private MongoCollection<BsonDocument> history;
  private MongoCollection<BsonDocument> locks;
  private MongoCollection<BsonDocument> users;

  @BeforeEach
  void freshDatabase() {
    database = TestMongo.client().getDatabase("journal_" + DATABASES.incrementAndGet());
    history = database.getCollection("migrate_history", BsonDocument.class);
    locks = database.getCollection("migrate_history_locks", BsonDocument.class);
    users = database.getCollection("users", BsonDocument.class);
  }

  @AfterEach
  void drop() {
    database.drop();
  }

  private MongoRunJournal journal(String runId, Instant now, boolean force, Duration renewEvery) {
    BsonDocument entry =
        new BsonDocument("_id", new BsonString(runId))
            .append("command", new BsonString("migrate"))
            .append("database", new BsonString(database.getName()))
            .append("collection", new BsonString("users"))
            .append("host", new BsonString("host-" + runId))
            .append("pid", new BsonInt64(42));
    return MongoRunJournal.builder(history, locks, database.getName() + ".users", entry)
        .clock(Clock.fixed(now, ZoneOffset.UTC))
        .forceUnlock(force)
        .renewEvery(renewEvery)
        .retry(Retry.none())
        .nanoTime(System::nanoTime)
        .serverTime(() -> now)
        .operationTimeout( // the server's clock: the tests move it
            Duration.ofSeconds(30))
        .build();
  }

  private MongoRunJournal journal(String runId, Instant now) {
    return journal(runId, now, false, Duration.ofSeconds(10));
  }

  @Test
  void oneLiveRunAtATime() {
    MongoRunJournal first = journal("a", NOW);
    first.begin(null, RunJournal.LeaseListener.NONE);

    assertThatThrownBy(
            () -> journal("b", NOW.plusSeconds(5)).begin(null, RunJournal.LeaseListener.NONE))
        .isInstanceOf(LockHeldException.class)
        .hasMessage(
            "another run holds the lock on "
                + database.getName()
                + ".users: run a (migrate) on host-a, pid 42, since 2026-01-02T03:04:05Z, lease until"
                + " 2026-01-02T03:04:50Z; if that run is gone, wait for its lease to lapse or use"
                + " --force-unlock");
    assertThat(history.countDocuments()).isEqualTo(1);

    first.end(RunStatus.COMPLETED, Map.of("migrated", 3L));
    assertThat(locks.countDocuments()).isZero();
    journal("b", NOW.plusSeconds(6)).begin(null, RunJournal.LeaseListener.NONE);
    assertThat(locks.find().first().getDocument("owner").getString("runId").getValue())
        .isEqualTo("b");
  }

  private MongoRunJournal journal(AtomicLong ticker, Duration renewEvery) {
    return MongoRunJournal.builder(
            history,
            locks,
            database.getName() + ".users",
            new BsonDocument("_id", new BsonString("a")))
        .clock(Clock.fixed(NOW, ZoneOffset.UTC))
        .forceUnlock(false)
        .renewEvery(renewEvery)
        .retry(Retry.none())
        .nanoTime(ticker::get)
        .serverTime(() -> NOW)
        .operationTimeout(Duration.ofSeconds(30))
        .build();
  }

  @Test
  void aLeaseNotRenewedForTooLongIsUnconfirmedBeforeItCouldLapse() {
    AtomicLong ticker = new AtomicLong();
    MongoRunJournal journal = journal(ticker, Duration.ofDays(1)); // no renewal gets through
    journal.begin(null, RunJournal.LeaseListener.NONE);
    assertThat(journal.lease()).isEqualTo(RunJournal.Lease.HELD);

    ticker.addAndGet(MongoRunJournal.LEASE.minus(MongoRunJournal.MARGIN).toNanos() - 1);
    assertThat(journal.lease()).isEqualTo(RunJournal.Lease.HELD);
    ticker.addAndGet(1);
    assertThat(journal.lease()).isEqualTo(RunJournal.Lease.UNCONFIRMED);
    // still well before another run could take the lock over
    assertThat(MongoRunJournal.MARGIN).isGreaterThan(MongoRunJournal.RENEW_EVERY);
  }

  @Test
  void aRenewalThatGetsThroughConfirmsTheLeaseAgain() {
    AtomicLong ticker = new AtomicLong();
    MongoRunJournal journal = journal(ticker, Duration.ofMillis(20));
    journal.begin(null, RunJournal.LeaseListener.NONE);
    ticker.addAndGet(MongoRunJournal.LEASE.toNanos());
    // held at this time only if a renewal was sent after the ticker moved
    Eventually.await(
        "a renewal", Duration.ofSeconds(10), () -> journal.lease() == RunJournal.Lease.HELD);
    journal.end(RunStatus.COMPLETED, Map.of());
    assertThat(locks.countDocuments()).isZero();
  }

  @Test
  void theRunStartIsRecordedForVerifyAndRollback() {
    Instant runStart = Instant.parse("2026-01-02T03:04:05.678Z");
    MongoRunJournal journal = journal("a", NOW);
    journal.begin(runStart, RunJournal.LeaseListener.NONE);
    journal.end(RunStatus.INTERRUPTED, Map.of());
    history.insertOne(
        new BsonDocument("_id", new BsonString("r"))
            .append("command", new BsonString("rollback"))
            .append("database", new BsonString(database.getName()))
            .append("collection", new BsonString("users"))
            .append("runStart", BsonDocument.parse("{d: {$date: 0}}").get("d")));
    // a migration of another collection stamped none of these users
    history.insertOne(
        new BsonDocument("_id", new BsonString("s"))
            .append("command", new BsonString("migrate"))
            .append("database", new BsonString(database.getName()))
            .append("collection", new BsonString("staging"))
            .append("runStart", BsonDocument.parse("{d: {$date: 1}}").get("d")));

    assertThat(MongoRunJournal.recordedRunStarts(history, database.getName(), "users"))
        .containsExactly(runStart);
  }

  @Test
  void theLeaseOfADeadRunLapses() {
    journal("dead", NOW)
        .begin(null, RunJournal.LeaseListener.NONE); // never ended, never renewed again
    assertThatThrownBy(
            () ->
                journal("b", NOW.plus(MongoRunJournal.LEASE))
                    .begin(null, RunJournal.LeaseListener.NONE))
        .isInstanceOf(LockHeldException.class);

    MongoRunJournal next = journal("c", NOW.plus(MongoRunJournal.LEASE).plusMillis(1));
    next.begin(null, RunJournal.LeaseListener.NONE);
    assertThat(next.lease()).isEqualTo(RunJournal.Lease.HELD);
    BsonDocument dead = history.find(BsonDocument.parse("{_id: 'dead'}")).first();
    assertThat(dead.getString("status").getValue()).isEqualTo("failed");
    assertThat(dead.getString("note").getValue())
        .isEqualTo("its lease lapsed: the run died or lost the server");
    assertThat(MongoRunJournal.LEASE).isLessThanOrEqualTo(Duration.ofSeconds(60));
  }

  @Test
  void forceUnlockTakesALiveLockAndWaitsUntilItsHolderCanNoLongerCountOnIt() {
    journal("a", NOW).begin(null, RunJournal.LeaseListener.NONE);
    MongoRunJournal forced = journal("b", NOW.plusSeconds(1), true, Duration.ofSeconds(10));
    List<Duration> waited = new ArrayList<>();
    forced.takeoverSleeper = waited::add;

    forced.begin(null, RunJournal.LeaseListener.NONE);

    assertThat(locks.find().first().getDocument("owner").getString("runId").getValue())
        .isEqualTo("b");
    // the holder renewed at NOW: it counts its lease as held until NOW + 30 s whether or not its
    // next renewal gets through; the takeover came a second later, and adds a second of slack
    assertThat(waited).containsExactly(MongoRunJournal.LEASE.minus(MongoRunJournal.MARGIN));
  }

  @Test
  void forceUnlockNeverWaitsLongerThanARenewalsLeaseCouldCountAsHeld() {
    locks.insertOne(
        BsonDocument.parse(
            "{_id: '"
                + database.getName()
                + ".users', owner: {runId: 'hand-made', host: 'h', pid: 1, command: 'migrate'},"
                + " since: {$date: '2026-01-01T00:00:00Z'}, expiresAt: {$date: '2099-01-01T00:00:00Z'}}"));
    MongoRunJournal forced = journal("b", NOW, true, Duration.ofSeconds(10));
    List<Duration> waited = new ArrayList<>();
    forced.takeoverSleeper = waited::add;

    forced.begin(null, RunJournal.LeaseListener.NONE);

    assertThat(waited)
        .containsExactly(
            MongoRunJournal.LEASE.minus(MongoRunJournal.MARGIN).plus(MongoRunJournal.CLOCK_SLACK));
  }

  @Test
  void forceUnlockDoesNotWaitForAHolderWhoseLeaseWasLongUnconfirmed() {
    journal("dead", NOW).begin(null, RunJournal.LeaseListener.NONE);
    MongoRunJournal forced =
        journal(
            "b",
            NOW.plus(MongoRunJournal.LEASE.minus(MongoRunJournal.MARGIN)).plusSeconds(1),
            true,
            Duration.ofSeconds(10));
    List<Duration> waited = new ArrayList<>();
    forced.takeoverSleeper = waited::add;

    forced.begin(null, RunJournal.LeaseListener.NONE);

    assertThat(waited).isEmpty();
  }

  @Test
  void recordsStatusTimesAndCounts() {
    MongoRunJournal journal = journal("a", NOW);
    journal.begin(null, RunJournal.LeaseListener.NONE);
    assertThat(history.find().first().getString("status").getValue()).isEqualTo("running");
    journal.end(RunStatus.COMPLETED, Map.of("migrated", 3L));
    BsonDocument entry = history.find().first();
    assertThat(entry.getString("status").getValue()).isEqualTo("completed");
    assertThat(entry.getDateTime("startedAt").getValue()).isEqualTo(NOW.toEpochMilli());
    assertThat(entry.getDateTime("endedAt").getValue()).isEqualTo(NOW.toEpochMilli());
    assertThat(entry.getDocument("counts"))
        .isEqualTo(BsonDocument.parse("{migrated: {$numberLong: '3'}}"));
  }
}
