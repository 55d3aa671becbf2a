package app.achievements.migration;

import app.achievements.support.TestMongo;
import com.mongodb.client.MongoClient;

/** The integration suite against the embedded server: runs everywhere. */
class EmbeddedMigrationTest extends MigrationSuite {
  @Override
  MongoClient client() {
    return TestMongo.client();
  }
}
