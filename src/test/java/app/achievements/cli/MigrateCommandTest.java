package app.achievements.cli;

import static org.assertj.core.api.Assertions.assertThat;

import app.achievements.embedded.SampleUsers;
import app.achievements.support.TestMongo;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bson.BsonDocument;
import org.junit.jupiter.api.Test;

/** The command line, run in-process against the embedded server: exit codes and exact output. */
class MigrateCommandTest extends CommandTestBase {

  @Test
  void helpListsEveryOptionAndExitCode() {
    assertThat(run("", "--help")).isZero();
    assertThat(err.toString()).isEmpty();
    String help = out.toString();
    for (String option :
        List.of(
            "--uri",
            "--database",
            "--collection",
            "--dry-run",
            "--batch-size",
            "--yes",
            "--help",
            "--version",
            "demo",
            "sandbox",
            "verify",
            "rollback",
            "history")) {
      assertThat(help).contains(option);
    }
    for (String code : ExitCodes.HELP) {
      assertThat(help).contains(code.substring(0, code.indexOf(':')) + "   ");
    }
    assertThat(help)
        .contains("Exit codes:")
        .contains("aborted or refused at the confirmation prompt");
  }

  @Test
  void versionComesFromTheManifest() {
    assertThat(run("", "--version")).isZero();
    assertThat(out.toString())
        .isEqualTo("achievements-migrate (development build, no jar manifest)\n");
  }

  @Test
  void badWriterCountIsAUsageErrorOnOneLineAndWritesNothing() {
    SampleUsers.insert(users, 50, 7);
    List<String> before = snapshot();
    assertThat(run("", against("--yes", "--writers", "0"))).isEqualTo(2);
    assertThat(err.toString()).isEqualTo("error: --writers must be 1 to 16, not 0 (see --help)\n");
    assertThat(out.toString()).isEmpty();

    err.getBuffer().setLength(0);
    assertThat(run("", against("--yes", "--writers", "17"))).isEqualTo(2);
    assertThat(err.toString()).isEqualTo("error: --writers must be 1 to 16, not 17 (see --help)\n");
    assertThat(snapshot()).isEqualTo(before);

    assertThat(run("", against("--yes", "--writers", "16"))).isEqualTo(3);
    assertThat(snapshot()).isNotEqualTo(before);
  }

  /**
   * A write that passed its stop check must not wait for a connection another holds, or it goes out
   * after a stop: a pool too small for the run's reader, monitor, lock renewal and one write is a
   * usage error; one that leaves fewer connections than the writers narrows them, and says so.
   */
  @Test
  void aPoolTooSmallForARunIsAUsageErrorAndOneSmallerThanTheWritersNarrowsThem() {
    SampleUsers.insert(users, 50, 7);
    List<String> before = snapshot();
    String pool = TestMongo.server().connectionString() + "/?maxPoolSize=";
    for (List<String> command : List.of(List.<String>of(), List.of("rollback"))) {
      List<String> args = new ArrayList<>(command);
      args.addAll(List.of("--uri", pool + 3, "-d", database.getName(), "--yes"));
      assertThat(run("", args.toArray(String[]::new))).isEqualTo(2);
      assertThat(err.toString())
          .isEqualTo(
              "error: the connection string's maxPoolSize (3) is too small for a run, which holds 4"
                  + " connections at once (the page reader, a write, the monitor, the lock's"
                  + " renewal): raise it or leave it out (see --help)\n");
      assertThat(snapshot()).isEqualTo(before);
    }
    assertThat(database.getCollection("migrate_history").countDocuments()).isZero();

    assertThat(run("", "--uri", pool + 4, "-d", database.getName(), "--yes"))
        .isEqualTo(3); // the sample's rejected users
    assertThat(err.toString())
        .startsWith(
            "warning: the connection string's maxPoolSize (4) leaves 1 connection(s) for writes"
                + " beside the run's 3 others: 1 write(s) at once instead of 2 (--writers)\n");
    assertThat(run("", "verify", "--uri", pool + 1, "-d", database.getName())).isZero();
    // a dry run reads one page after another and holds no lock; a rollback writes one at a time
    assertThat(run("", "--uri", pool + 1, "-d", database.getName(), "--dry-run")).isEqualTo(3);
    assertThat(err.toString()).doesNotContain("maxPoolSize");
    assertThat(run("", "rollback", "--uri", pool + 4, "-d", database.getName(), "--yes")).isZero();
    assertThat(err.toString()).doesNotContain("maxPoolSize");
  }

  @Test
  void badBatchSizeIsAUsageErrorOnOneLine() {
    assertThat(run("", against("--batch-size", "0"))).isEqualTo(2);
    assertThat(err.toString())
        .isEqualTo("error: --batch-size must be 1 to 100000, not 0 (see --help)\n");
    assertThat(out.toString()).isEmpty();

    err.getBuffer().setLength(0);
    assertThat(run("", against("--batch-size", "100001"))).isEqualTo(2);
    assertThat(err.toString())
        .isEqualTo("error: --batch-size must be 1 to 100000, not 100001 (see --help)\n");

    err.getBuffer().setLength(0);
    assertThat(run("", against("--batch-size", "many"))).isEqualTo(2);
    assertThat(err.toString())
        .startsWith("error: Invalid value for option '--batch-size': 'many' is not an int")
        .endsWith("(see --help)\n");
  }

  @Test
  void badRetryAndRateValuesAreUsageErrors() {
    assertThat(run("", against("--max-retries", "-1"))).isEqualTo(2);
    assertThat(err.toString())
        .isEqualTo("error: --max-retries must be 0 to 100, not -1 (see --help)\n");
    assertThat(run("", against("--retry-timeout", "-5"))).isEqualTo(2);
    assertThat(err.toString())
        .isEqualTo("error: --retry-timeout must be 0 to 86400 seconds, not -5 (see --help)\n");
    assertThat(run("", against("--max-rate", "-1"))).isEqualTo(2);
    assertThat(err.toString())
        .isEqualTo("error: --max-rate must be 0 (no limit) or more, not -1.0 (see --help)\n");
  }

  @Test
  void unknownOptionIsAUsageError() {
    assertThat(run("", "--frobnicate")).isEqualTo(2);
    assertThat(err.toString()).isEqualTo("error: Unknown option: '--frobnicate' (see --help)\n");
  }

  @Test
  void missingDatabaseIsAUsageError() {
    assertThat(run("", "--uri", "mongodb://127.0.0.1:1")).isEqualTo(2);
    assertThat(err.toString())
        .isEqualTo(
            "error: no database: give --database NAME, or name it in the URI (mongodb://host/NAME) (see --help)\n");
  }

  @Test
  void databaseMayComeFromTheUri() {
    users.insertOne(
        BsonDocument.parse(
            "{_id: 1, achievements: ['a'], createdAt: {$date: '2021-01-01T00:00:00Z'}}"));
    String uri = TestMongo.server().connectionString() + "/" + database.getName();
    assertThat(run("", "--uri", uri, "--yes")).isZero();
    assertThat(users.find().first().containsKey("achievements_v2")).isTrue();
  }

  @Test
  void databaseMayBeNamedLikeASubcommand() {
    MongoDatabase sandbox = TestMongo.client().getDatabase("demo");
    sandbox.drop();
    sandbox
        .getCollection("users", BsonDocument.class)
        .insertOne(BsonDocument.parse("{_id: 1, achievements: ['a']}"));
    try {
      assertThat(run("", "--uri", TestMongo.server().connectionString(), "-d", "demo", "--yes"))
          .isZero();
      assertThat(out.toString()).contains("Collection: demo.users\n");
    } finally {
      sandbox.drop();
    }
  }

  @Test
  void aBufferThatIsNoSizeOrTooSmallIsAUsageError() {
    for (String bad : List.of("lots", "512k", "0", "99999999999999g", "1.5g", "-1m")) {
      assertThat(run("", "--uri", "mongodb://127.0.0.1:1", "-d", "x", "--buffer", bad))
          .as(bad)
          .isEqualTo(2);
      assertThat(err.toString())
          .startsWith(
              "error: --buffer must be a whole number of bytes, or of k, m or g, 1m or more"
                  + " (64m, 1g), not "
                  + bad);
    }
  }

  @Test
  void aBufferOfMoreThanHalfTheHeapIsAUsageError() {
    long heapMb = Runtime.getRuntime().maxMemory() / (1024 * 1024);
    String buffer = (heapMb / 2 + 1) + "m";

    assertThat(run("", "--uri", "mongodb://127.0.0.1:1", "-d", "x", "--buffer", buffer))
        .isEqualTo(2);

    assertThat(err.toString())
        .startsWith(
            "error: --buffer "
                + buffer
                + " is more than half of this JVM's heap ("
                + heapMb
                + " MB): give java a larger -Xmx, or a smaller --buffer");
  }

  @Test
  void aUriThatNamesACollectionIsAUsageErrorNotAQuietlyDroppedName() {
    assertThat(run("", "--uri", "mongodb://127.0.0.1:1/app.users", "--dry-run")).isEqualTo(2);
    assertThat(err.toString())
        .isEqualTo(
            "error: the connection string names a collection (app.users): name the database"
                + " alone in it, and the collection with --collection (see --help)\n");
  }

  @Test
  void invalidUriIsAUsageErrorWithoutItsPassword() {
    assertThat(run("", "--uri", "mongodb://ann:s3cret@", "-d", "x")).isEqualTo(2);
    assertThat(err.toString())
        .isEqualTo(
            PASSWORD_WARNING
                + "error: invalid connection string from --uri mongodb://ann:***@: The connection"
                + " string contains an empty host '[]'.  (see --help)\n");
  }

  private static final String PASSWORD_WARNING =
      "warning: the password in --uri can be read by other users of this machine (ps); use"
          + " $MONGODB_URI or --uri-file instead\n";

  @Test
  void unreachableServerIsOneLineNamingHostAndCauseExitOneAndNoPassword() {
    String uri = "mongodb://ann:s3cret@127.0.0.1:1/db?serverSelectionTimeoutMS=300";
    assertThat(run("", "--uri", uri, "--yes")).isEqualTo(1);
    assertThat(out.toString())
        .isEqualTo("Server:     mongodb://ann:***@127.0.0.1:1/db?serverSelectionTimeoutMS=300\n");
    assertThat(err.toString())
        .isEqualTo(
            PASSWORD_WARNING
                + "error: cannot reach MongoDB at 127.0.0.1:1: ConnectException: Connection"
                + " refused\n");
  }

  @Test
  void badOptionValuesShowNoPassword() {
    assertThat(run("", "--uri", "mongodb://ann:s3cret@127.0.0.1:1/db", "--batch-size", "0"))
        .isEqualTo(2);
    assertThat(err.toString())
        .isEqualTo("error: --batch-size must be 1 to 100000, not 0 (see --help)\n");
    assertThat(run("", "--uri", "mongodb://ann:s3cret@127.0.0.1:1/db", "--show", "x", "--json"))
        .isEqualTo(2);
    assertThat(out.toString() + err.toString())
        .doesNotContain("s3cret")
        .contains("'x' is not an int");
  }

  @Test
  void unknownHostIsNamed() {
    String uri = "mongodb://no-such-host.invalid:27017/db?serverSelectionTimeoutMS=300";
    assertThat(run("", "--uri", uri, "--yes")).isEqualTo(1);
    assertThat(err.toString())
        .startsWith(
            "error: cannot reach MongoDB at no-such-host.invalid:27017: UnknownHostException: ");
    assertThat(err.toString().lines()).hasSize(1);
  }

  @Test
  void uriComesFromTheEnvironmentBeforeTheFile() throws Exception {
    users.insertOne(BsonDocument.parse("{_id: 1, achievements: ['a']}"));
    String server = TestMongo.server().connectionString();
    Path file = Files.createTempFile("uri", ".txt");
    Files.writeString(file, "mongodb://127.0.0.1:1/?serverSelectionTimeoutMS=300\n");

    int exit =
        runWith(
            Map.of("MONGODB_URI", server),
            "",
            "-d",
            database.getName(),
            "--uri-file",
            file.toString(),
            "--yes");

    assertThat(exit).isZero();
    assertThat(out.toString()).startsWith("Server:     " + server + " (from MONGODB_URI)\n");
    assertThat(err.toString()).isEmpty();
  }

  @Test
  void uriComesFromTheFileWhenTheEnvironmentHasNone() throws Exception {
    users.insertOne(BsonDocument.parse("{_id: 1, achievements: ['a']}"));
    String server = TestMongo.server().connectionString();
    Path file = Files.createTempFile("uri", ".txt");
    Files.writeString(file, "  " + server + "\nsecond line ignored\n");

    int exit = run("", "-d", database.getName(), "--uri-file", file.toString(), "--yes");

    assertThat(exit).isZero();
    assertThat(out.toString())
        .startsWith("Server:     " + server + " (from --uri-file " + file + ")\n");
  }

  @Test
  void passwordFromTheEnvironmentIsNeitherWarnedAboutNorShown() {
    int exit =
        runWith(
            Map.of(
                "MONGODB_URI", "mongodb://ann:s3cret@127.0.0.1:1/db?serverSelectionTimeoutMS=300"),
            "",
            "--yes");
    assertThat(exit).isEqualTo(1);
    assertThat(out.toString())
        .isEqualTo(
            "Server:     mongodb://ann:***@127.0.0.1:1/db?serverSelectionTimeoutMS=300 (from"
                + " MONGODB_URI)\n");
    assertThat(err.toString()).doesNotContain("warning").doesNotContain("s3cret");
  }

  @Test
  void unreadableUriFileIsAUsageError() {
    assertThat(run("", "-d", "x", "--uri-file", "/no/such/file")).isEqualTo(2);
    assertThat(err.toString())
        .isEqualTo(
            "error: cannot read --uri-file /no/such/file: NoSuchFileException (see --help)\n");
  }

  @Test
  void commandLineWithoutUriUsesTheDefaultServer() {
    // Nothing listens on localhost:27017 here, or something does: either way it is named.
    assertThat(run("", "-d", "x", "--dry-run", "--help")).isZero();
    assertThat(out.toString()).contains("else mongodb://localhost:27017");
  }

  @Test
  void verboseShowsTheStackTrace() {
    String uri = "mongodb://127.0.0.1:1/db?serverSelectionTimeoutMS=300";
    assertThat(run("", "--uri", uri, "--yes", "-v")).isEqualTo(1);
    assertThat(err.toString())
        .startsWith("error: cannot reach MongoDB at 127.0.0.1:1: ")
        .contains("\tat ");
  }

  @Test
  void cleanDataMigratesWithExitZero() {
    users.insertOne(
        BsonDocument.parse(
            "{_id: 1, achievements: ['a'], createdAt: {$date: '2021-01-01T00:00:00Z'}}"));
    assertThat(run("YES\n", against())).isZero();
    assertThat(out.toString())
        .isEqualTo(
            "Server:     "
                + TestMongo.server().connectionString()
                + "\n"
                + "Collection: "
                + database.getName()
                + ".users\n"
                + "Replication lag: not checked: the server is a standalone, with no replication.\n"
                + "Counting eligible users...\n"
                + "Eligible users: 1\n"
                + "Migrate 1 eligible users in "
                + database.getName()
                + ".users? Type YES to continue: \n"
                + "Summary\n"
                + "  eligible     1\n"
                + "  migrated     1\n"
                + "  rejected     0\n"
                + "  conflicts    0\n"
                + "  failed       0\n"
                + "  run start    2026-01-02T03:04:05.678Z (the unlockedAt of last resort)\n"
                + "  duration     0.000 s (n/a users/s)\n");
    assertThat(err.toString()).isEmpty();
  }

  @Test
  void rejectedUsersMakeExitThreeForRunsAndDryRuns() {
    SampleUsers.insert(users, 200, 7);
    List<String> before = snapshot();
    assertThat(run("", against("--dry-run"))).isEqualTo(3);
    assertThat(snapshot()).isEqualTo(before);
    assertThat(run("", against("--yes"))).isEqualTo(3);
    assertThat(snapshot()).isNotEqualTo(before);
  }

  @Test
  void dryRunOfCleanDataExitsZeroAndWritesNothing() {
    users.insertOne(
        BsonDocument.parse(
            "{_id: 1, achievements: ['a'], createdAt: {$date: '2021-01-01T00:00:00Z'}}"));
    List<String> before = snapshot();
    assertThat(run("", against("--dry-run"))).isZero();
    assertThat(snapshot()).isEqualTo(before);
    assertThat(database.listCollectionNames().into(new ArrayList<>())).containsExactly("users");
  }

  @Test
  void anyAnswerButYesExitsFourAndWritesNothing() {
    SampleUsers.insert(users, 100, 7);
    List<String> before = snapshot();
    assertThat(run("y\n", against())).isEqualTo(4);
    assertThat(out.toString()).endsWith("Aborted: the answer was not YES; nothing was written.\n");
    assertThat(snapshot()).isEqualTo(before);
  }

  @Test
  void emptyStandardInputExitsFourAtOnceAndWritesNothing() {
    SampleUsers.insert(users, 100, 7);
    List<String> before = snapshot();
    assertThat(run("", against())).isEqualTo(4);
    assertThat(out.toString()).contains("Aborted: no answer on standard input");
    assertThat(snapshot()).isEqualTo(before);
  }

  @Test
  void missingCollectionIsWarnedAboutAndMigratesNothing() {
    users.insertOne(BsonDocument.parse("{_id: 1, achievements: ['a']}"));
    assertThat(run("", against("--collection", "userz"))).isZero();
    assertThat(err.toString())
        .isEqualTo(
            "warning: "
                + database.getName()
                + ".userz does not exist: check --database and --collection\n");
    assertThat(out.toString()).endsWith("Eligible users: 0\nNothing to migrate.\n");
    assertThat(database.listCollectionNames().into(new ArrayList<>())).containsExactly("users");
  }

  @Test
  void collectionOptionChoosesTheCollection() {
    MongoCollection<BsonDocument> members = database.getCollection("members", BsonDocument.class);
    members.insertOne(
        BsonDocument.parse(
            "{_id: 1, achievements: ['a'], createdAt: {$date: '2021-01-01T00:00:00Z'}}"));
    users.insertOne(BsonDocument.parse("{_id: 1, achievements: ['a']}"));
    assertThat(run("", against("--collection", "members", "--yes"))).isZero();
    assertThat(members.find().first().containsKey("achievements_v2")).isTrue();
    assertThat(users.find().first().containsKey("achievements_v2")).isFalse();
  }

  @Test
  void demoNeedsAtLeastOneUser() {
    assertThat(run("", "demo", "--users", "0")).isEqualTo(2);
    assertThat(err.toString())
        .isEqualTo("error: --users must be 1 to 1000000, not 0 (see --help)\n");
  }

  @Test
  void demoRunsEverythingOnAnEmbeddedServer() {
    assertThat(run("", "demo", "--users", "400")).isZero();
    String demo = out.toString();
    assertThat(demo)
        .contains("== 1/4 Dry run")
        .contains("== 2/4 Migration")
        .contains("== 3/4 Before -> after")
        .contains("well-formed, _id ")
        .contains("== 4/4 A second run")
        .contains(", would migrate 0, ");
    assertThat(err.toString()).isEmpty();
  }
}
