package app.achievements.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bson.BsonDocument;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** -v, -vv and --log-file; logback writes to the process's standard error, captured here. */
class LoggingTest extends CommandTestBase {

  @TempDir Path dir;
  private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
  private PrintStream original;

  @BeforeEach
  void captureStandardError() {
    original = System.err;
    System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
    users.insertOne(BsonDocument.parse("{_id: 1, achievements: ['a'], createdAt: {$date: 0}}"));
  }

  @AfterEach
  void restoreStandardError() {
    System.setErr(original);
    new LoggingOptions().apply(); // back to warnings only, on the real standard error
  }

  private String logged() {
    return stderr.toString(StandardCharsets.UTF_8);
  }

  @Test
  void warningsOnlyByDefault() {
    assertThat(run("", against("--dry-run"))).isZero();
    assertThat(logged()).isEmpty();
  }

  @Test
  void verboseLogsInfo() {
    assertThat(run("", against("--dry-run", "-v"))).isZero();
    assertThat(logged())
        .contains(
            "INFO  a.achievements.run.MigrationRunner - Dry run of "
                + database.getName()
                + ".users starts")
        .contains("Finished: eligible 1, migrated 1")
        .doesNotContain("DEBUG");
  }

  @Test
  void veryVerboseLogsDebugTheDriversToo() {
    assertThat(run("", against("--yes", "-vv"))).isZero();
    assertThat(logged())
        .contains("DEBUG a.achievements.run.MigrationRunner - Bulk write of 1: 1 migrated")
        .contains("DEBUG org.mongodb.driver");
  }

  @Test
  void logFileGetsEverythingWhateverTheConsoleShows() throws IOException {
    Path log = dir.resolve("migrate.log");
    assertThat(run("", against("--yes", "--log-file", log.toString()))).isZero();
    assertThat(logged()).isEmpty();
    assertThat(Files.readString(log))
        .contains("INFO  a.achievements.run.MigrationRunner - Migration of ")
        .contains("DEBUG a.achievements.run.MigrationRunner - Bulk write of 1")
        .contains("DEBUG org.mongodb.driver");
  }

  @Test
  void refusedCredentialsShowNoPasswordAnywhere() throws IOException {
    Path log = dir.resolve("migrate.log");
    String uri =
        "mongodb://ann:s3cret@127.0.0.1:"
            + app.achievements.support.TestMongo.server().port()
            + "/?serverSelectionTimeoutMS=2000";
    int exit =
        run(
            "",
            "--uri",
            uri,
            "-d",
            database.getName(),
            "--yes",
            "-vv",
            "--log-file",
            log.toString(),
            "--json");
    assertThat(exit).isEqualTo(1);
    assertThat(err.toString()).contains("error: ");
    assertThat(out.toString() + err.toString() + logged() + Files.readString(log))
        .doesNotContain("s3cret");
  }
}
