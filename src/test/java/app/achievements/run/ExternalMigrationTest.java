package app.achievements.run;

import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * The integration suite against the server named by {@code MIGRATE_TEST_MONGODB_URI}, when it is
 * set. Each test creates and drops a database of its own there ({@code migrate_it_<pid>_<n>}).
 */
@EnabledIfEnvironmentVariable(named = "MIGRATE_TEST_MONGODB_URI", matches = ".+")
class ExternalMigrationTest extends MigrationSuite {
  @Override
  String connectionString() {
    return System.getenv("MIGRATE_TEST_MONGODB_URI");
  }
}
