package app.achievements.migration;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * The integration suite against the server named by {@code MIGRATE_TEST_MONGODB_URI}, when it is
 * set. Each test creates and drops a database of its own there ({@code migrate_it_<pid>_<n>}).
 */
@EnabledIfEnvironmentVariable(named = "MIGRATE_TEST_MONGODB_URI", matches = ".+")
class ExternalMigrationTest extends MigrationSuite {

  private static MongoClient client;

  @Override
  synchronized MongoClient client() {
    if (client == null) {
      client = MongoClients.create(System.getenv("MIGRATE_TEST_MONGODB_URI"));
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
