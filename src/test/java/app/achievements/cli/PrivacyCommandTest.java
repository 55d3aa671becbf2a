package app.achievements.cli;

import static org.assertj.core.api.Assertions.assertThat;

import app.achievements.support.TestMongo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.bson.BsonDocument;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report and the log name users; a URI file holds a password: who may read them. */
class PrivacyCommandTest extends CommandTestBase {

  @TempDir Path dir;

  @BeforeEach
  void aRejectedUser() {
    users.insertOne(BsonDocument.parse("{_id: 1, username: 'ann', achievements: [true]}"));
  }

  private static String permissions(Path file) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
  }

  @Test
  void theReportAndTheLogAreReadableByTheirOwnerOnly() throws Exception {
    Path report = dir.resolve("report.jsonl");
    Path log = dir.resolve("run.log");

    assertThat(
            run("", against("--yes", "--report", report.toString(), "--log-file", log.toString())))
        .isEqualTo(3);

    assertThat(Files.readString(report)).contains("\"username\": \"ann\"");
    assertThat(permissions(report)).isEqualTo("rw-------");
    assertThat(permissions(log)).isEqualTo("rw-------");
  }

  @Test
  void aReportReplacedWithForceIsRestrictedToo() throws Exception {
    Path report = dir.resolve("report.jsonl");
    Files.writeString(report, "old\n");
    Files.setPosixFilePermissions(report, PosixFilePermissions.fromString("rw-r--r--"));

    assertThat(run("", against("--dry-run", "--report", report.toString(), "--force")))
        .isEqualTo(3);

    assertThat(permissions(report)).isEqualTo("rw-------");
    assertThat(Files.readString(report)).doesNotContain("old");
  }

  @Test
  void aUriFileOthersCanReadDrawsAWarningAsSshDoes() throws Exception {
    Path uriFile = dir.resolve("uri");
    Files.writeString(uriFile, TestMongo.server().connectionString() + "\n");
    Files.setPosixFilePermissions(uriFile, PosixFilePermissions.fromString("rw-r--r--"));
    String[] args = {"--uri-file", uriFile.toString(), "-d", database.getName(), "--dry-run"};

    assertThat(runWith(Map.of(), "", args)).isEqualTo(3);
    assertThat(err.toString())
        .isEqualTo(
            "warning: --uri-file "
                + uriFile
                + " is readable by other users (rw-r--r--): chmod 600 "
                + uriFile
                + "\n");

    Files.setPosixFilePermissions(uriFile, PosixFilePermissions.fromString("rw-------"));
    assertThat(runWith(Map.of(), "", args)).isEqualTo(3);
    assertThat(err.toString()).isEmpty();
  }

  @Test
  void aLogFileThatCannotBeOneOfItsOwnIsAUsageErrorAndAnOpenOneDrawsAWarning() throws Exception {
    Path nowhere = dir.resolve("missing/sub/run.log");
    assertThat(run("", against("--dry-run", "--log-file", nowhere.toString()))).isEqualTo(2);
    assertThat(err.toString())
        .isEqualTo(
            "error: --log-file "
                + nowhere
                + ": no such directory "
                + nowhere.getParent()
                + " (see --help)\n");
    assertThat(dir.resolve("missing")).doesNotExist();

    assertThat(run("", against("--dry-run", "--log-file", dir.toString()))).isEqualTo(2);
    assertThat(err.toString())
        .isEqualTo("error: --log-file " + dir + " is a directory: name a file (see --help)\n");

    Path open = dir.resolve("open.log");
    Files.writeString(open, "");
    Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rw-r--r--"));
    assertThat(run("", against("--dry-run", "--log-file", open.toString()))).isEqualTo(3);
    assertThat(err.toString())
        .isEqualTo(
            "warning: --log-file "
                + open
                + " is readable by other users (rw-r--r--): chmod 600 "
                + open
                + "\n");
    assertThat(Files.readString(open)).contains("Dry run");
  }
}
