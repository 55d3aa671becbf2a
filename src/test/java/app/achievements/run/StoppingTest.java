package app.achievements.run;

import static org.assertj.core.api.Assertions.assertThat;

import app.achievements.pace.Pace;
import app.achievements.pace.PaceOptions;
import app.achievements.store.BatchResult;
import app.achievements.store.LagSource;
import app.achievements.store.LockHeldException;
import app.achievements.store.MongoRunJournal;
import app.achievements.store.MongoUserStore;
import app.achievements.store.PlannedWrite;
import app.achievements.store.Retry;
import app.achievements.store.RunStatus;
import app.achievements.store.UserStore;
import app.achievements.support.ForwardingStore;
import app.achievements.support.TestMongo;
import com.mongodb.MongoSocketWriteException;
import com.mongodb.ServerAddress;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;
import org.bson.BsonDocument;
import org.bson.BsonInt64;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A run told to stop, or that loses its lock, sends nothing more, whatever it was waiting on, and
 * ends with counts that add up: in its result, its report and its history entry. Against the
 * embedded server, with the real journal. The waits here (the throttle's, a retry's) would last
 * hours: a test that finishes proves that the stop ended them.
 */
@Timeout(60)
class StoppingTest {

  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static final Instant NOW = Instant.parse("2026-01-02T03:04:05.678Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  private MongoDatabase database;
  private MongoCollection<BsonDocument> users;
  private MongoCollection<BsonDocument> history;
  private MongoCollection<BsonDocument> locks;
  private final StopSignal stop = new StopSignal();
  private final List<ReportRow> report = Collections.synchronizedList(new ArrayList<>());
  private final StringWriter out = new StringWriter();

  @BeforeEach
  void freshDatabase() {
    database = TestMongo.client().getDatabase("stopping_" + DATABASES.incrementAndGet());
    users = database.getCollection("users", BsonDocument.class);
    history = database.getCollection("migrate_history", BsonDocument.class);
    locks = database.getCollection("migrate_history_locks", BsonDocument.class);
  }

  @AfterEach
  void drop() {
    database.drop();
  }

  /** {@code count} users, {@code _id} 0 up, every one convertible. */
  private void insertUsers(int count) {
    users.insertMany(TestMongo.plainUsers(count));
  }

  private MongoRunJournal journal(Duration renewEvery) {
    return MongoRunJournal.builder(
            history,
            locks,
            database.getName() + ".users",
            new BsonDocument("_id", new BsonString("run-1"))
                .append("command", new BsonString("migrate"))
                .append("pid", new BsonInt64(1)))
        .clock(CLOCK)
        .forceUnlock(false)
        .renewEvery(renewEvery)
        .retry(Retry.none())
        .nanoTime(System::nanoTime)
        .serverTime(CLOCK::instant)
        .operationTimeout(Duration.ofSeconds(30))
        .build();
  }

  /** Counted down when a writer starts waiting in the throttle. */
  private final CountDownLatch throttled = new CountDownLatch(1);

  /** A real run's setup: journal, report, and retry and throttle that sleep on the stop. */
  private RunSetup setup(UserStore store, MigrationOptions options, Retry retry, double rate) {
    return RunSetup.builder(store, new PrintWriter(out, true), CLOCK, options)
        .progress(ProgressListener.NONE)
        .journal(journal(Duration.ofMillis(20)))
        .report(report::add)
        .retry(retry)
        .pace(
            new Pace(
                PaceOptions.builder().maxRate(rate).build(),
                options.batchSize(),
                LagSource.NONE,
                wait -> {
                  throttled.countDown();
                  stop.sleep(wait);
                }))
        .stop(stop)
        .build();
  }

  /**
   * Runs {@code runner} on a thread of its own; {@code then} once a writer waits in the throttle.
   */
  private MigrationResult whileThrottled(MigrationRunner runner, Runnable then) throws Exception {
    AtomicReference<MigrationResult> result = new AtomicReference<>();
    Thread run = new Thread(() -> result.set(runner.run()));
    run.start();
    assertThat(throttled.await(30, TimeUnit.SECONDS)).isTrue();
    then.run();
    run.join(30_000);
    assertThat(run.isAlive()).as("the run ended").isFalse();
    return result.get();
  }

  private static MigrationOptions options(int batchSize, int writers) {
    return MigrationOptions.defaults()
        .withAssumeYes(true)
        .withBatchSize(batchSize)
        .withWriters(writers);
  }

  private long migratedInTheDatabase() {
    return users.countDocuments(BsonDocument.parse("{achievements_v2: {$exists: true}}"));
  }

  private Map<String, Long> reportedOutcomes() {
    return report.stream()
        .collect(Collectors.groupingBy(ReportRow::outcome, Collectors.counting()));
  }

  private BsonDocument historyEntry() {
    return history.find().first();
  }

  /** Every eligible user read has exactly one outcome, and the history says the same. */
  private void assertCountsAddUp(MigrationResult result) {
    assertThat(result.eligible())
        .isEqualTo(
            result.migrated()
                + result.rejected()
                + result.conflicts()
                + result.failed()
                + result.skipped()
                + result.unfinished());
    BsonDocument counts = historyEntry().getDocument("counts");
    result
        .counts()
        .forEach(
            (name, count) ->
                assertThat(counts.getInt64(name).getValue()).as(name).isEqualTo(count));
    assertThat(reportedOutcomes().getOrDefault("unfinished", 0L)).isEqualTo(result.unfinished());
  }

  /** A store that counts the bulk writes it sends and runs {@code after} once each returns. */
  private static class CountingStore extends ForwardingStore {
    final AtomicInteger writes = new AtomicInteger();
    private final Runnable after;

    CountingStore(UserStore delegate, Runnable after) {
      super(delegate);
      this.after = after;
    }

    @Override
    public BatchResult write(List<PlannedWrite> planned) {
      BatchResult result = super.write(planned);
      writes.incrementAndGet();
      after.run();
      return result;
    }
  }

  @Test
  void aStopDuringTheThrottlesWaitSendsNothingMoreAndTheCountsAddUp() throws Exception {
    insertUsers(60);
    CountingStore store = new CountingStore(new MongoUserStore(users), () -> {});

    // 0.001 users/s: a batch of 10 waits hours in the throttle
    MigrationResult result =
        whileThrottled(
            new MigrationRunner(setup(store, options(10, 2), Retry.none(), 0.001)), stop::request);

    assertThat(store.writes.get()).isZero();
    assertThat(migratedInTheDatabase()).isZero();
    assertThat(result.status()).isEqualTo(RunStatus.INTERRUPTED);
    assertThat(result.failure()).isInstanceOf(RunInterruptedException.class);
    assertThat(result.unfinished()).isPositive();
    assertCountsAddUp(result);
    assertThat(out.toString()).contains("Interrupted; counts so far:\nSummary\n");
    assertThat(historyEntry().getString("status").getValue()).isEqualTo("interrupted");
    assertThat(locks.countDocuments()).isZero();
  }

  @Test
  void aLockTakenAwayDuringTheThrottlesWaitSendsNothingMore() throws Exception {
    insertUsers(60);
    CountingStore store = new CountingStore(new MongoUserStore(users), () -> {});

    MigrationResult result =
        whileThrottled(
            new MigrationRunner(setup(store, options(10, 2), Retry.none(), 0.001)),
            // another run takes the lock over (--force-unlock) while the writers wait
            () ->
                locks.updateMany(
                    new BsonDocument(), BsonDocument.parse("{$set: {'owner.runId': 'other'}}")));

    assertThat(store.writes.get()).isZero();
    assertThat(migratedInTheDatabase()).isZero();
    assertThat(result.status()).isEqualTo(RunStatus.LOCK_LOST);
    assertThat(result.failure())
        .isInstanceOf(LockHeldException.class)
        .hasMessageContaining("lost its lock");
    assertCountsAddUp(result);
    assertThat(historyEntry().getString("status").getValue()).isEqualTo("lock_lost");
    // the lock is the other run's now: this run leaves it alone
    assertThat(locks.find().first().getDocument("owner").getString("runId").getValue())
        .isEqualTo("other");
  }

  @Test
  void aStopDuringARetrysBackoffSendsNothingMore() {
    insertUsers(30);
    AtomicInteger attempts = new AtomicInteger();
    UserStore failing =
        new ForwardingStore(new MongoUserStore(users)) {
          @Override
          public BatchResult write(List<PlannedWrite> planned) {
            attempts.incrementAndGet();
            stop.request(); // the operator presses Ctrl-C while the network is down
            throw new MongoSocketWriteException(
                "connection reset", new ServerAddress(), new IOException("reset"));
          }
        };
    Retry patient = new Retry(100, Duration.ofHours(1), stop::sleep, new Random(1));

    MigrationResult result = new MigrationRunner(setup(failing, options(10, 1), patient, 0)).run();

    assertThat(attempts.get()).isEqualTo(1);
    assertThat(migratedInTheDatabase()).isZero();
    assertThat(result.status()).isEqualTo(RunStatus.INTERRUPTED);
    assertThat(result.migrated()).isZero();
    assertCountsAddUp(result);
  }

  @Test
  void theConflictPassSendsNothingOnceStopped() {
    insertUsers(20);
    AtomicInteger writes = new AtomicInteger();
    UserStore store =
        new ForwardingStore(new MongoUserStore(users)) {
          @Override
          public BatchResult write(List<PlannedWrite> planned) {
            if (writes.incrementAndGet() <= 2) {
              // the application changes every user of the first two batches: all conflict
              planned.forEach(
                  write ->
                      users.updateOne(
                          new BsonDocument("_id", write.id()),
                          BsonDocument.parse("{$set: {achievements: ['changed']}}")));
            }
            BatchResult result = super.write(planned);
            if (writes.get() == 2) {
              stop.request(); // Ctrl-C once the first pass is over: the conflicts are pending
            }
            return result;
          }
        };

    MigrationResult result =
        new MigrationRunner(setup(store, options(10, 1), Retry.none(), 0)).run();

    assertThat(writes.get()).isEqualTo(2);
    assertThat(migratedInTheDatabase()).isZero();
    assertThat(result.status()).isEqualTo(RunStatus.INTERRUPTED);
    assertThat(result.unfinished()).isEqualTo(20);
    assertCountsAddUp(result);
  }

  @Test
  void aStopWhileTheConflictPassReadsSendsNothingMore() {
    insertUsers(10);
    AtomicInteger writes = new AtomicInteger();
    UserStore store =
        new ForwardingStore(new MongoUserStore(users)) {
          @Override
          public BatchResult write(List<PlannedWrite> planned) {
            if (writes.incrementAndGet() == 1) {
              planned.forEach(
                  write ->
                      users.updateOne(
                          new BsonDocument("_id", write.id()),
                          BsonDocument.parse("{$set: {achievements: ['changed']}}")));
            }
            return super.write(planned);
          }

          @Override
          public List<BsonDocument> reread(List<BsonValue> ids) {
            stop.request(); // between the conflict pass's read and its write
            return super.reread(ids);
          }
        };

    MigrationResult result =
        new MigrationRunner(setup(store, options(10, 1), Retry.none(), 0)).run();

    assertThat(writes.get()).isEqualTo(1);
    assertThat(migratedInTheDatabase()).isZero();
    assertThat(result.status()).isEqualTo(RunStatus.INTERRUPTED);
    assertThat(result.unfinished()).isEqualTo(10);
    assertCountsAddUp(result);
  }

  /** An OutOfMemoryError, say, in the page reader: the run ends, reports and records itself. */
  @Test
  void anErrorInThePageReaderEndsTheRunWithItsSummaryAndRecordsItFailed() {
    insertUsers(30);
    OutOfMemoryError outOfMemory = new OutOfMemoryError("Java heap space");
    UserStore store =
        new ForwardingStore(new MongoUserStore(users)) {
          @Override
          public Iterator<List<BsonDocument>> candidatePages(
              IntSupplier pageSize, LongSupplier pageBytes) {
            Iterator<List<BsonDocument>> pages = super.candidatePages(pageSize, pageBytes);
            AtomicInteger asked = new AtomicInteger();
            return new Iterator<>() {
              @Override
              public boolean hasNext() {
                if (asked.incrementAndGet() == 2) {
                  throw outOfMemory;
                }
                return pages.hasNext();
              }

              @Override
              public List<BsonDocument> next() {
                return pages.next();
              }
            };
          }
        };

    MigrationResult result =
        new MigrationRunner(setup(store, options(10, 2), Retry.none(), 0)).run();

    assertThat(result.status()).isEqualTo(RunStatus.FAILED);
    assertThat(result.failure()).isInstanceOf(RunFailedException.class).hasCause(outOfMemory);
    assertThat(result.failure()).hasMessage("OutOfMemoryError: Java heap space");
    assertThat(out.toString()).contains("Stopped by an error; counts so far:\nSummary\n");
    assertCountsAddUp(result);
    assertThat(historyEntry().getString("status").getValue()).isEqualTo("failed");
    assertThat(locks.countDocuments()).isZero();
  }

  @Test
  void anInterruptedRollbackPrintsAndRecordsCountsThatAddUp() {
    insertUsers(30);
    new MigrationRunner(
            RunSetup.builder(
                    new MongoUserStore(users),
                    new PrintWriter(new StringWriter()),
                    CLOCK,
                    options(1000, 1))
                .build())
        .run();
    AtomicInteger removals = new AtomicInteger();
    UserStore store =
        new ForwardingStore(new MongoUserStore(users)) {
          @Override
          public BatchResult removeV2(List<PlannedWrite> planned) {
            removals.incrementAndGet();
            BatchResult result = super.removeV2(planned);
            stop.request();
            return result;
          }
        };

    RollbackResult result =
        new RollbackRunner(setup(store, options(10, 1), Retry.none(), 0), Set.of()).run();

    assertThat(removals.get()).isEqualTo(1);
    assertThat(result.status()).isEqualTo(RunStatus.INTERRUPTED);
    assertThat(result.rolledBack()).isEqualTo(10);
    assertThat(result.migrated())
        .isEqualTo(
            result.rolledBack() + result.conflicts() + result.failed() + result.unfinished());
    assertThat(users.countDocuments(BsonDocument.parse("{achievements_v2: {$exists: true}}")))
        .isEqualTo(20);
    assertThat(out.toString())
        .contains("Interrupted; counts so far:\nRollback summary\n")
        .contains("  rolled back  10\n");
    BsonDocument counts = historyEntry().getDocument("counts");
    result
        .counts()
        .forEach(
            (name, count) ->
                assertThat(counts.getInt64(name).getValue()).as(name).isEqualTo(count));
    assertThat(historyEntry().getString("status").getValue()).isEqualTo("interrupted");
    assertThat(locks.countDocuments()).isZero();
  }
}
