package app.achievements.migration;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import org.junit.jupiter.api.AfterAll;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.mongodb.MongoDBContainer;

/**
 * The integration suite against a real mongod in Docker (Testcontainers). Skipped, not failed,
 * where no Docker engine answers.
 */
@Testcontainers(disabledWithoutDocker = true)
class ContainerMigrationTest extends MigrationSuite {

  @Container static final MongoDBContainer MONGO = new MongoDBContainer("mongo:7.0");

  private static MongoClient client;

  @Override
  synchronized MongoClient client() {
    if (client == null) {
      client = MongoClients.create(MONGO.getConnectionString());
    }
    return client;
  }

  @AfterAll
  static void close() {
    if (client != null) {
      client.close();
      client = null;
    }
  }
}
