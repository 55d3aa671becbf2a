package app.achievements.run;

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

  @Override
  String connectionString() {
    return MONGO.getConnectionString();
  }
}
