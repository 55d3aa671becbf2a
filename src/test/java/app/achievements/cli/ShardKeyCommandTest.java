package app.achievements.cli;

import static org.assertj.core.api.Assertions.assertThat;

import app.achievements.store.ShardKey;
import app.achievements.support.TestMongo;
import com.mongodb.MongoCommandException;
import com.mongodb.ServerAddress;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Map;
import org.bson.BsonDocument;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The shard key, read from {@code config.collections} as a sharded cluster records it (the embedded
 * server holds such a document as a test seam; it shards nothing).
 */
class ShardKeyCommandTest extends CommandTestBase {

  private MongoCollection<BsonDocument> configCollections() {
    return TestMongo.client()
        .getDatabase("config")
        .getCollection("collections", BsonDocument.class);
  }

  @AfterEach
  void forgetTheShardKey() {
    configCollections().deleteMany(new BsonDocument());
  }

  @Test
  void aShardedCollectionsKeyIsReadAndEveryUserIsMigrated() {
    configCollections()
        .insertOne(
            BsonDocument.parse(
                "{_id: '"
                    + database.getName()
                    + ".users', key: {region: 1, _id: 1}, unique: false}"));
    users.insertOne(
        BsonDocument.parse(
            "{_id: 1, region: 'eu', createdAt: {$date: '2021-01-01T00:00:00Z'}, achievements: ['a']}"));
    users.insertOne(
        BsonDocument.parse(
            "{_id: 2, createdAt: {$date: '2021-01-01T00:00:00Z'}, achievements: ['b']}"));

    assertThat(run("", against("--yes"))).isZero();

    assertThat(err.toString())
        .isEqualTo("Sharded on: region (each write names its user's shard)\n");
    assertThat(users.countDocuments(BsonDocument.parse("{achievements_v2: {$size: 1}}")))
        .isEqualTo(2);
  }

  @Test
  void aShardKeyOnCreatedAtKeepsItsEqualityAndTheTypeGuardBoth() {
    configCollections()
        .insertOne(
            BsonDocument.parse(
                "{_id: '" + database.getName() + ".users', key: {createdAt: 1}, unique: false}"));
    users.insertOne(
        BsonDocument.parse(
            "{_id: 1, createdAt: {$date: '2021-01-01T00:00:00Z'}, achievements: ['a']}"));
    users.insertOne(BsonDocument.parse("{_id: 2, achievements: ['b']}"));

    assertThat(run("", against("--yes"))).as(out + "\n" + err).isZero();

    assertThat(users.countDocuments(BsonDocument.parse("{achievements_v2: {$size: 1}}")))
        .isEqualTo(2);
    assertThat(run("", sub("rollback", "--yes"))).as(out + "\n" + err).isZero();
    assertThat(users.countDocuments(BsonDocument.parse("{achievements_v2: {$exists: true}}")))
        .isZero();
  }

  @Test
  void aShardKeyThatCannotBeReadIsOneWarningAndTheIdGuard() {
    CommandLine commandLine = Main.commandLine(new Context(System.in, CLOCK, Map.of()));
    commandLine.parseArgs("-d", "app");
    MigrateCommand command = commandLine.getCommand();
    StringWriter warnings = new StringWriter();

    ShardKey key =
        command.connection.shardKey(
            refusingConfig(TestMongo.client()), new PrintWriter(warnings, true));

    assertThat(key.fields()).isEmpty();
    assertThat(warnings.toString())
        .isEqualTo(
            "warning: cannot read the shard key of app.users from config.collections (MongoDB error"
                + " 13: not authorized on config to execute command find): each write is guarded by"
                + " _id alone; on a sharded collection it goes to every shard\n");
  }

  /** {@code real}, except that reading the config database is refused as mongod refuses it. */
  private static MongoClient refusingConfig(MongoClient real) {
    return (MongoClient)
        Proxy.newProxyInstance(
            MongoClient.class.getClassLoader(),
            new Class<?>[] {MongoClient.class},
            (proxy, method, args) -> {
              if (method.getName().equals("getDatabase") && "config".equals(args[0])) {
                throw new MongoCommandException(
                    BsonDocument.parse(
                        "{ok: 0, code: 13, codeName: 'Unauthorized', errmsg: 'not authorized on"
                            + " config to execute command find'}"),
                    new ServerAddress());
              }
              try {
                return method.invoke(real, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }
}
