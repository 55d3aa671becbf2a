package app.achievements.support;

import app.achievements.embedded.EmbeddedMongo;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Sorts;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.bson.BsonDocument;
import org.bson.RawBsonDocument;

/**
 * One embedded server per test JVM, started on first use, and one client per connection string; all
 * closed when the JVM exits.
 */
public final class TestMongo {

  private static final Map<String, MongoClient> CLIENTS = new ConcurrentHashMap<>();
  private static EmbeddedMongo server;

  private TestMongo() {}

  public static synchronized EmbeddedMongo server() {
    if (server == null) {
      server = EmbeddedMongo.start(0);
      EmbeddedMongo started = server;
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    CLIENTS.values().forEach(MongoClient::close);
                    started.close();
                  }));
    }
    return server;
  }

  /** A client of the embedded server. */
  public static MongoClient client() {
    return client(server().connectionString());
  }

  /** A client of the server at {@code uri}, shared by the tests of this JVM. */
  public static MongoClient client(String uri) {
    server(); // its shutdown hook closes the clients
    return CLIENTS.computeIfAbsent(uri, MongoClients::create);
  }

  /** Every document of {@code collection}, in {@code _id} order. */
  public static List<BsonDocument> snapshot(MongoCollection<BsonDocument> collection) {
    return collection.find().sort(Sorts.ascending("_id")).into(new ArrayList<>());
  }

  /**
   * Every document of {@code collection} as its exact BSON bytes (hex), in {@code _id} order:
   * {@code BsonDocument.equals} ignores the order of fields, this does not.
   */
  public static List<String> bytes(MongoCollection<BsonDocument> collection) {
    List<String> documents = new ArrayList<>();
    for (RawBsonDocument raw :
        collection.withDocumentClass(RawBsonDocument.class).find().sort(Sorts.ascending("_id"))) {
      ByteBuffer buffer = raw.getByteBuffer().asNIO();
      byte[] bytes = new byte[buffer.remaining()];
      buffer.get(bytes);
      documents.add(HexFormat.of().formatHex(bytes));
    }
    return documents;
  }

  /**
   * {@code count} users, {@code _id} 0 up, every one convertible: {@code createdAt} 2021-01-01,
   * {@code achievements: ['a']}.
   */
  public static List<BsonDocument> plainUsers(int count) {
    List<BsonDocument> users = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      users.add(
          BsonDocument.parse(
              "{_id: " + i + ", createdAt: {$date: '2021-01-01T00:00:00Z'}, achievements: ['a']}"));
    }
    return users;
  }

  /** {@code --uri <embedded server> -d <database>} followed by {@code args}. */
  public static String[] against(String database, String... args) {
    List<String> all =
        new ArrayList<>(List.of("--uri", server().connectionString(), "-d", database));
    all.addAll(List.of(args));
    return all.toArray(String[]::new);
  }
}
