package app.achievements.run;

import static org.assertj.core.api.Assertions.assertThat;

import app.achievements.store.BatchResult;
import app.achievements.store.LockHeldException;
import app.achievements.store.MongoRunJournal;
import app.achievements.store.MongoUserStore;
import app.achievements.store.PlannedWrite;
import app.achievements.store.Retry;
import app.achievements.store.RunJournal;
import app.achievements.store.RunStatus;
import app.achievements.store.UserStore;
import app.achievements.support.ForwardingStore;
import app.achievements.support.TestMongo;
import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.WriteConcern;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.event.CommandListener;
import com.mongodb.event.CommandStartedEvent;
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
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.assertj.core.api.Assertions;
import org.bson.BsonDocument;
import org.bson.BsonInt64;
import org.bson.BsonString;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the tool sends, as the server receives it: every command of a migration and a rollback (with
 * conflicts, read-backs and the journal), recorded by the driver's command listener.
 */
class SentCommandsTest {

  private static final Instant NOW = Instant.parse("2026-01-02T03:04:05.678Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  private static final BsonDocument SIMPLE = BsonDocument.parse("{locale: 'simple'}");

  /** A command as sent: copied, since the driver reuses the event's buffer. */
  private record Sent(String name, BsonDocument command) {}

  private final List<Sent> sent = Collections.synchronizedList(new ArrayList<>());
  private MongoClient client;
  private MongoDatabase database;
  private MongoCollection<BsonDocument> users;

  @BeforeEach
  void recordingClient() {
    CommandListener recorder =
        new CommandListener() {
          @Override
          public void commandStarted(CommandStartedEvent event) {
            sent.add(new Sent(event.getCommandName(), event.getCommand().clone()));
          }
        };
    client =
        MongoClients.create(
            MongoClientSettings.builder()
                .applyConnectionString(new ConnectionString(TestMongo.server().connectionString()))
                .writeConcern(WriteConcern.MAJORITY.withWTimeout(7, TimeUnit.SECONDS))
                .addCommandListener(recorder)
                .build());
    database = client.getDatabase("sent_commands");
    database.drop();
    users = database.getCollection("users", BsonDocument.class);
    for (int i = 0; i < 30; i++) {
      users.insertOne(
          BsonDocument.parse(
              "{_id: " + i + ", createdAt: {$date: '2021-01-01T00:00:00Z'}, achievements: ['a']}"));
    }
  }

  @AfterEach
  void close() {
    database.drop();
    client.close();
  }

  private List<BsonDocument> commands(String name) {
    synchronized (sent) {
      return sent.stream().filter(c -> c.name().equals(name)).map(Sent::command).toList();
    }
  }

  private MongoRunJournal journal() {
    return MongoRunJournal.builder(
            database.getCollection("migrate_history", BsonDocument.class),
            database.getCollection("migrate_history_locks", BsonDocument.class),
            "sent_commands.users",
            new BsonDocument("_id", new BsonString("run")).append("pid", new BsonInt64(1)))
        .clock(CLOCK)
        .forceUnlock(false)
        .retry(Retry.none())
        .serverTime(MongoRunJournal.serverTime(database, "test"))
        .operationTimeout(Duration.ofSeconds(9))
        .build();
  }

  private RunSetup setup(UserStore store) {
    return RunSetup.builder(
            store,
            new PrintWriter(new StringWriter()),
            CLOCK,
            MigrationOptions.defaults().withAssumeYes(true).withBatchSize(10))
        .journal(journal())
        .build();
  }

  /** The application changes the first batch's users before it is written: conflicts, re-reads. */
  private UserStore withConflicts() {
    return MigrationSuite.countingConflicts(
        new AtomicInteger(),
        new ForwardingStore(new MongoUserStore(users, Duration.ofSeconds(9))) {
          private boolean changed;

          @Override
          public BatchResult write(List<PlannedWrite> planned) {
            if (!changed) {
              changed = true;
              // the application, through a client of its own
              TestMongo.client()
                  .getDatabase("sent_commands")
                  .getCollection("users", BsonDocument.class)
                  .updateOne(
                      new BsonDocument("_id", planned.get(0).id()),
                      BsonDocument.parse("{$set: {achievements: ['b']}}"));
            }
            return super.write(planned);
          }
        });
  }

  @Test
  void everyReadAndWriteThatDecidesAWriteStatesTheSimpleCollationAndHasADeadline() {
    new MigrationRunner(setup(withConflicts())).run();
    new RollbackRunner(setup(new MongoUserStore(users, Duration.ofSeconds(9))), Set.of()).run();

    List<BsonDocument> finds =
        commands("find").stream()
            .filter(find -> find.getString("find").getValue().equals("users"))
            .toList();
    // candidate pages, the read-back of the conflicting batch, the conflict re-read, rollback's
    assertThat(finds.size()).isGreaterThanOrEqualTo(6);
    for (BsonDocument find : finds) {
      assertThat(find.get("collation")).as(find.toJson()).isEqualTo(SIMPLE);
      assertThat(find.get("maxTimeMS").asNumber().longValue()).as(find.toJson()).isEqualTo(9000);
    }
    List<BsonDocument> updates =
        commands("update").stream()
            .filter(update -> update.getString("update").getValue().equals("users"))
            .toList();
    assertThat(updates).isNotEmpty();
    for (BsonDocument update : updates) {
      assertThat(update.getDocument("writeConcern"))
          .isEqualTo(BsonDocument.parse("{w: 'majority', wtimeout: 7000}"));
      for (var statement : update.getArray("updates")) {
        assertThat(statement.asDocument().get("collation"))
            .as(statement.asDocument().toJson())
            .isEqualTo(SIMPLE);
      }
    }
  }

  @Test
  void theLockAndTheHistoryAreReadFromThePrimaryWithMajorityReadConcernAndADeadline() {
    MongoRunJournal first = journal();
    first.begin(null, RunJournal.LeaseListener.NONE);
    // a second run finds the lock held: it reads it
    MongoRunJournal second =
        MongoRunJournal.builder(
                database.getCollection("migrate_history", BsonDocument.class),
                database.getCollection("migrate_history_locks", BsonDocument.class),
                "sent_commands.users",
                new BsonDocument("_id", new BsonString("other")).append("pid", new BsonInt64(2)))
            .clock(CLOCK)
            .forceUnlock(false)
            .retry(Retry.none())
            .serverTime(MongoRunJournal.serverTime(database, "test"))
            .operationTimeout(Duration.ofSeconds(9))
            .build();
    Assertions.assertThatThrownBy(() -> second.begin(null, RunJournal.LeaseListener.NONE))
        .isInstanceOf(LockHeldException.class);
    MongoRunJournal.recordedRunStarts(
        database.getCollection("migrate_history", BsonDocument.class),
        "sent_commands",
        "users",
        Duration.ofSeconds(9),
        "test");

    List<BsonDocument> finds =
        commands("find").stream()
            .filter(find -> find.getString("find").getValue().startsWith("migrate_history"))
            .toList();
    assertThat(finds.size()).isGreaterThanOrEqualTo(3);
    for (BsonDocument find : finds) {
      assertThat(find.getDocument("readConcern"))
          .isEqualTo(BsonDocument.parse("{level: 'majority'}"));
      assertThat(find.get("maxTimeMS").asNumber().longValue()).isEqualTo(9000);
    }
    // the lease's expiry comes from the server's clock
    assertThat(commands("hello")).isNotEmpty();
    first.end(RunStatus.COMPLETED, Map.of());
  }
}
