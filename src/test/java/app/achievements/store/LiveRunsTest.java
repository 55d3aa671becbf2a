package app.achievements.store;

import static org.assertj.core.api.Assertions.assertThat;

import app.achievements.support.TestMongo;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import java.time.Duration;
import org.bson.BsonBoolean;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Requests to a live run go to that run only, and set a hand-edited count right. */
class LiveRunsTest {

  private MongoDatabase database;
  private MongoCollection<BsonDocument> locks;
  private LiveRuns runs;
  private final BsonDocument by =
      BsonDocument.parse("{command: 'pause', user: 'bob', host: 'laptop', pid: 7}");

  @BeforeEach
  void aLock() {
    database = TestMongo.client().getDatabase("live_runs");
    database.drop();
    locks = database.getCollection("migrate_history_locks", BsonDocument.class);
    locks.insertOne(
        BsonDocument.parse(
            "{_id: 'app.users', owner: {runId: 'r1'}, status: {control: {$numberLong: '5'}}}"));
    runs = new LiveRuns(locks, Duration.ofSeconds(10), "test");
  }

  @AfterEach
  void drop() {
    database.drop();
  }

  @Test
  void aRequestNamesItsRunAndCountsUp() {
    assertThat(runs.request("app.users", new BsonString("r1"), paused(), by)).contains(1L);
    assertThat(runs.request("app.users", new BsonString("r1"), paused(), by)).contains(2L);
    assertThat(runs.request("app.users", new BsonString("another run"), paused(), by)).isEmpty();
    assertThat(runs.find("app.users").orElseThrow().control().by())
        .isEqualTo("pause from bob@laptop (pid 7)");
  }

  @Test
  void aCountThatIsNoIntegerIsSetPastWhatTheRunApplied() {
    locks.updateOne(
        BsonDocument.parse("{_id: 'app.users'}"),
        BsonDocument.parse("{$set: {'control.seq': 1e19}}"));
    assertThat(runs.request("app.users", new BsonString("r1"), paused(), by)).contains(6L);
    assertThat(locks.find().first().getDocument("control").get("seq").isInt64()).isTrue();
    assertThat(runs.request("app.users", new BsonString("r1"), paused(), by)).contains(7L);
  }

  private static BsonDocument paused() {
    return new BsonDocument("paused", BsonBoolean.TRUE);
  }
}
