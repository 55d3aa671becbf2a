package app.achievements.run;

import app.achievements.support.TestMongo;

/** The integration suite against the embedded server: runs everywhere. */
class EmbeddedMigrationTest extends MigrationSuite {
  @Override
  String connectionString() {
    return TestMongo.server().connectionString();
  }
}
