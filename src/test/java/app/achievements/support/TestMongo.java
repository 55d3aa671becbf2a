package app.achievements.support;

import app.achievements.embedded.EmbeddedMongo;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;

/** One embedded server per test JVM, started on first use and stopped when the JVM exits. */
public final class TestMongo {

  private static EmbeddedMongo server;
  private static MongoClient client;

  private TestMongo() {}

  public static synchronized EmbeddedMongo server() {
    if (server == null) {
      server = EmbeddedMongo.start(0);
      client = MongoClients.create(server.connectionString());
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    client.close();
                    server.close();
                  }));
    }
    return server;
  }

  public static synchronized MongoClient client() {
    server();
    return client;
  }
}
