package app.achievements.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.achievements.store.BatchResult;
import app.achievements.store.LockHeldException;
import app.achievements.store.MongoRunJournal;
import app.achievements.store.MongoUserStore;
import app.achievements.store.PlannedWrite;
import app.achievements.store.Retry;
import app.achievements.store.RunJournal;
import app.achievements.store.RunStatus;
import app.achievements.store.UserStore;
import app.achievements.support.Eventually;
import app.achievements.support.ForwardingStore;
import app.achievements.support.TestMongo;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.bson.BsonDocument;
import org.bson.BsonInt64;
import org.bson.BsonString;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The lease lock and the history entry, against the embedded server. */
/** Runs that hold the lock in a real journal: two at once, and one whose lock is taken away. */
class JournaledRunTest {

  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static final Instant NOW = Instant.parse("2026-01-02T03:04:05Z");

  private MongoDatabase database;
  private MongoCollection<BsonDocument> history;
  private MongoCollection<BsonDocument> locks;
  private MongoCollection<BsonDocument> users;

  @BeforeEach
  void freshDatabase() {
    database = TestMongo.client().getDatabase("journaled_run_" + DATABASES.incrementAndGet());
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
  void twoConcurrentRunsOneWaitsForNobody() throws Exception {
    users.insertMany(
        List.of(
            BsonDocument.parse("{_id: 1, achievements: ['a']}"),
            BsonDocument.parse("{_id: 2, achievements: ['b']}")));
    CountDownLatch writing = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    UserStore blocking =
        new ForwardingStore(new MongoUserStore(users)) {
          @Override
          public BatchResult write(List<PlannedWrite> writes) {
            writing.countDown();
            try {
              release.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            return super.write(writes);
          }
        };
    AtomicReference<MigrationResult> first = new AtomicReference<>();
    Thread runA = new Thread(() -> first.set(runner(blocking, journal("a", NOW)).run()));
    runA.start();
    assertThat(writing.await(10, TimeUnit.SECONDS)).isTrue();

    MigrationRunner runB = runner(new MongoUserStore(users), journal("b", NOW.plusSeconds(1)));
    assertThatThrownBy(runB::run)
        .isInstanceOf(LockHeldException.class)
        .hasMessageContaining("run a ");
    assertThat(users.countDocuments(BsonDocument.parse("{achievements_v2: {$exists: true}}")))
        .isZero();

    release.countDown();
    runA.join(10_000);
    assertThat(first.get().migrated()).isEqualTo(2);
    assertThat(runner(new MongoUserStore(users), journal("b", NOW.plusSeconds(2))).run().eligible())
        .isZero();
  }

  private static MigrationRunner runner(UserStore store, MongoRunJournal journal) {
    return new MigrationRunner(
        RunSetup.builder(
                store,
                new PrintWriter(new StringWriter()),
                Clock.fixed(NOW, ZoneOffset.UTC),
                MigrationOptions.defaults().withAssumeYes(true))
            .journal(journal)
            .build());
  }

  /** A journal whose lease is measured on {@code ticker}, renewed every {@code renewEvery}. */
  @Test
  void aRunThatLosesItsLockSendsNoMoreAndIsRecordedLockLost() throws Exception {
    users.insertMany(
        List.of(
            BsonDocument.parse("{_id: 1, achievements: ['a']}"),
            BsonDocument.parse("{_id: 2, achievements: ['b']}")));
    MongoRunJournal journal = journal("a", NOW, false, Duration.ofMillis(20));
    UserStore store =
        new ForwardingStore(new MongoUserStore(users)) {
          @Override
          public BatchResult write(List<PlannedWrite> writes) {
            locks.deleteMany(new BsonDocument()); // someone forces the lock away
            Eventually.await(
                "the renewal notices",
                Duration.ofSeconds(10),
                () -> journal.lease() == RunJournal.Lease.LOST);
            return super.write(writes); // this write had passed the gate: it goes
          }
        };
    MigrationRunner runner =
        new MigrationRunner(
            RunSetup.builder(
                    store,
                    new PrintWriter(new StringWriter()),
                    Clock.fixed(NOW, ZoneOffset.UTC),
                    // one writer: a second one would be writing user 2 at the same time
                    MigrationOptions.defaults().withAssumeYes(true).withBatchSize(1).withWriters(1))
                .journal(journal)
                .build());

    MigrationResult result = runner.run();

    assertThat(result.status()).isEqualTo(RunStatus.LOCK_LOST);
    assertThat(result.failure())
        .isInstanceOf(LockHeldException.class)
        .hasMessageContaining("lost its lock");
    assertThat(result.migrated() + result.unfinished()).isEqualTo(result.eligible());
    BsonDocument entry = history.find().first();
    assertThat(entry.getString("status").getValue()).isEqualTo("lock_lost");
    assertThat(entry.getDocument("counts").getInt64("migrated").getValue()).isEqualTo(1);
    assertThat(users.countDocuments(BsonDocument.parse("{achievements_v2: {$exists: true}}")))
        .isEqualTo(1);
  }

  /**
   * A run stopped while the server is out of reach must not wait for ever, nor past the signal's
   * watchdog, to record its end: it gives its journal a few seconds, then prints and returns its
   * result (the next run records a run that could not).
   */
  @Test
  @Timeout(30)
  void aStoppedRunGivesUpRecordingItsEndAfterAFewSecondsAndStillReturnsItsCounts() {
    users.insertMany(
        List.of(
            BsonDocument.parse("{_id: 1, achievements: ['a']}"),
            BsonDocument.parse("{_id: 2, achievements: ['b']}")));
    CountDownLatch never = new CountDownLatch(1);
    List<RunStatus> ended = Collections.synchronizedList(new ArrayList<>());
    RunJournal unreachable =
        new RunJournal() {
          @Override
          public void begin(Instant runStart, LeaseListener listener) {}

          @Override
          public Lease lease() {
            return Lease.HELD;
          }

          @Override
          public void end(RunStatus status, Map<String, Long> counts) {
            ended.add(status);
            try {
              never.await(); // a socket that never answers
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
        };
    StopSignal stop = new StopSignal();
    UserStore store =
        new ForwardingStore(new MongoUserStore(users)) {
          @Override
          public BatchResult write(List<PlannedWrite> writes) {
            BatchResult written = super.write(writes);
            stop.request(); // Ctrl-C after the first batch
            return written;
          }
        };
    StringWriter out = new StringWriter();
    MigrationResult result =
        new MigrationRunner(
                RunSetup.builder(
                        store,
                        new PrintWriter(out),
                        Clock.fixed(NOW, ZoneOffset.UTC),
                        MigrationOptions.defaults()
                            .withAssumeYes(true)
                            .withBatchSize(1)
                            .withWriters(1))
                    .journal(unreachable)
                    .stop(stop)
                    .build())
            .run();

    assertThat(result.status()).isEqualTo(RunStatus.INTERRUPTED);
    assertThat(result.migrated()).isEqualTo(1);
    assertThat(result.migrated() + result.unfinished()).isEqualTo(result.eligible());
    assertThat(ended).containsExactly(RunStatus.INTERRUPTED);
    assertThat(out.toString()).contains("Interrupted; counts so far:\nSummary\n");
    never.countDown();
  }
}
