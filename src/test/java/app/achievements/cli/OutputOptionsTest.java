package app.achievements.cli;

import static org.assertj.core.api.Assertions.assertThat;

import app.achievements.embedded.SampleUsers;
import app.achievements.support.TickingClock;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --json, --report, --force, --show and --quiet. */
class OutputOptionsTest extends CommandTestBase {

  @TempDir Path dir;

  private static BsonDocument cases() throws IOException {
    try (InputStream in = OutputOptionsTest.class.getResourceAsStream("/conversion-cases.json")) {
      return BsonDocument.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  private BsonDocument json() {
    assertThat(out.toString().lines()).hasSize(1);
    return BsonDocument.parse(out.toString());
  }

  private static List<BsonDocument> lines(Path file) throws IOException {
    List<BsonDocument> rows = new ArrayList<>();
    for (String line : Files.readAllLines(file)) {
      rows.add(BsonDocument.parse(line));
    }
    return rows;
  }

  @Test
  void jsonPutsExactlyOneObjectOnStandardOutput() {
    SampleUsers.insert(users, 300, 5);
    List<BsonDocument> before = users.find().into(new ArrayList<>());

    int exit = run("", against("--yes", "--json"));

    assertThat(exit).isEqualTo(3);
    BsonDocument json = json();
    assertThat(json.keySet())
        .containsExactly(
            "command",
            "dryRun",
            "status",
            "eligible",
            "migrated",
            "rejected",
            "conflicts",
            "failed",
            "skipped",
            "unfinished",
            "reasons",
            "notes",
            "runStart",
            "durationMs",
            "exitCode");
    assertThat(json.getString("command").getValue()).isEqualTo("migrate");
    assertThat(json.getBoolean("dryRun").getValue()).isFalse();
    assertThat(json.getString("runStart").getValue()).isEqualTo("2026-01-02T03:04:05.678Z");
    assertThat(json.getInt32("exitCode").getValue()).isEqualTo(3);
    assertThat(json.get("migrated").asNumber().longValue()).isEqualTo(changedUsers(before));
    assertThat(err.toString()).contains("Summary\n").contains("Server:     ");
  }

  private long changedUsers(List<BsonDocument> before) {
    return before.stream()
        .filter(u -> !u.equals(users.find(new BsonDocument("_id", u.get("_id"))).first()))
        .count();
  }

  @Test
  void dryRunAndTheRealRunAfterItReportTheSameCounts() {
    SampleUsers.insert(users, 300, 5);

    run("", against("--dry-run", "--json"));
    BsonDocument dry = json();
    run("", against("--yes", "--json"));
    BsonDocument real = json();

    for (String key :
        List.of("eligible", "migrated", "rejected", "conflicts", "failed", "reasons", "notes")) {
      assertThat(real.get(key)).as(key).isEqualTo(dry.get(key));
    }
    assertThat(dry.getBoolean("dryRun").getValue()).isTrue();
  }

  @Test
  void jsonCarriesErrorsToo() {
    assertThat(run("", against("--batch-size", "0", "--json"))).isEqualTo(2);
    assertThat(json())
        .isEqualTo(
            BsonDocument.parse(
                "{command: 'migrate', error: '--batch-size must be 1 to 100000, not 0',"
                    + " exitCode: 2}"));
    assertThat(
            run(
                "",
                "--uri",
                "mongodb://127.0.0.1:1/?serverSelectionTimeoutMS=200",
                "-d",
                "x",
                "--yes",
                "--json"))
        .isEqualTo(1);
    assertThat(json().getInt32("exitCode").getValue()).isEqualTo(1);
    assertThat(json().getString("error").getValue())
        .startsWith("cannot reach MongoDB at 127.0.0.1:1: ");
  }

  @Test
  void declinedRunReportsAbortedInJson() {
    SampleUsers.insert(users, 20, 5);
    assertThat(run("no\n", against("--json"))).isEqualTo(4);
    assertThat(json().getString("status").getValue()).isEqualTo("aborted");
    assertThat(err.toString()).contains("Type YES to continue: ");
  }

  @Test
  void reportHasOneRowPerRejectedOrNotedUserAsTheSpecCasesSay() throws IOException {
    BsonDocument cases = cases();
    for (BsonValue c : cases.getArray("cases")) {
      BsonDocument user = c.asDocument().getDocument("user").clone();
      user.append("username", new BsonString(c.asDocument().getString("name").getValue()));
      users.insertOne(user);
    }
    Path dryReport = dir.resolve("dry.jsonl");
    Path report = dir.resolve("report.jsonl");

    run("", against("--dry-run", "--report", dryReport.toString()));
    run("", against("--yes", "--report", report.toString()));

    List<BsonDocument> expected = new ArrayList<>();
    for (BsonValue value : cases.getArray("cases")) {
      BsonDocument c = value.asDocument();
      BsonDocument expect = c.getDocument("expect");
      BsonDocument row = new BsonDocument("_id", c.getDocument("user").get("_id"));
      if (expect.getString("outcome").getValue().equals("reject")) {
        row.append("outcome", new BsonString("rejected"))
            .append("reason", expect.getString("reason"))
            .append("notes", new BsonArray());
      } else if (!expect.getArray("notes").isEmpty()) {
        row.append("outcome", new BsonString("migrated")).append("notes", expect.getArray("notes"));
      } else {
        continue;
      }
      expected.add(row.append("username", c.getString("name")));
    }
    assertThat(lines(report)).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(lines(dryReport)).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(Files.readAllLines(report).get(0)).startsWith("{\"_id\": {\"$");
  }

  @Test
  void reportNeverReplacesAFileWithoutForce() throws IOException {
    SampleUsers.insert(users, 50, 5);
    Path report = dir.resolve("report.jsonl");
    Files.writeString(report, "keep me\n");

    assertThat(run("", against("--dry-run", "--report", report.toString()))).isEqualTo(2);
    assertThat(err.toString())
        .isEqualTo(
            "error: --report " + report + " exists: use --force to replace it (see --help)\n");
    assertThat(Files.readString(report)).isEqualTo("keep me\n");

    assertThat(run("", against("--dry-run", "--report", report.toString(), "--force")))
        .isEqualTo(3);
    assertThat(Files.readString(report))
        .doesNotContain("keep me")
        .contains("\"outcome\": \"rejected\"");
  }

  @Test
  void showPicksOneOfEachKindFirstThenFills() {
    SampleUsers.insert(users, 400, 5);
    run("", against("--dry-run", "--show", "12"));
    assertThat(
            out.toString()
                .lines()
                .filter(l -> l.startsWith("  _id ") && l.contains(": achievements "))
                .count())
        .isEqualTo(12);
    run("", against("--dry-run", "--show", "0"));
    assertThat(out.toString()).doesNotContain("Examples");
    assertThat(run("", against("--dry-run", "--show", "-1"))).isEqualTo(2);
  }

  /** Ten seconds later at every reading: every page is worth a progress line. */
  private static Clock fastClock() {
    return new TickingClock(Instant.parse("2026-01-02T03:04:05Z"), Duration.ofSeconds(10));
  }

  @Test
  void aTerminalGetsALiveBarOnStandardErrorInstead() {
    SampleUsers.insert(users, 300, 5);
    out.getBuffer().setLength(0);
    err.getBuffer().setLength(0);
    Context terminal =
        new Context(new ByteArrayInputStream("YES\n".getBytes()), fastClock(), Map.of(), true);
    int exit =
        Main.commandLine(terminal, new PrintWriter(out, true), new PrintWriter(err, true))
            .execute(against("--batch-size", "100"));

    assertThat(exit).isEqualTo(3);
    assertThat(out.toString()).doesNotContain("Progress: ").contains("Summary");
    assertThat(err.toString()).startsWith("\rMigrating").contains("/295 users").contains("users/s");
  }

  @Test
  void quietDropsTheProgressLines() {
    SampleUsers.insert(users, 300, 5);
    runWith(fastClock(), Map.of(), "", against("--dry-run", "--batch-size", "100"));
    assertThat(out.toString()).contains("Progress: ");
    runWith(fastClock(), Map.of(), "", against("--dry-run", "--batch-size", "100", "--quiet"));
    assertThat(out.toString()).doesNotContain("Progress: ").contains("Summary");
  }
}
