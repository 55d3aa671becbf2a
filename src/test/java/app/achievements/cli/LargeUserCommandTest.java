package app.achievements.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One user never stops a run: a user whose update would be too large to send. */
class LargeUserCommandTest extends CommandTestBase {

  @TempDir Path dir;

  /** About 10 MB of achievements: 300,000 ids. Its guarded update would pass 16 MB. */
  private static BsonDocument hoarder() {
    BsonArray ids = new BsonArray(new ArrayList<>(300_000));
    for (int i = 0; i < 300_000; i++) {
      ids.add(new BsonString(String.format("achievement-%07d", i)));
    }
    return new BsonDocument("_id", new BsonString("hoarder"))
        .append("username", new BsonString("hoarder"))
        .append("createdAt", BsonDocument.parse("{d: {$date: '2021-01-01T00:00:00Z'}}").get("d"))
        .append("achievements", ids);
  }

  @Test
  void aUserTooLargeToWriteIsReportedAndTheRunGoesOnTwiceInARow() throws Exception {
    List<BsonDocument> ordinary = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      ordinary.add(
          BsonDocument.parse(
              "{_id: 'user-"
                  + i
                  + "', createdAt: {$date: '2021-01-01T00:00:00Z'}, achievements: ['a']}"));
    }
    users.insertMany(ordinary.subList(0, 20));
    users.insertOne(hoarder());
    users.insertMany(ordinary.subList(20, 40));

    for (int run = 1; run <= 2; run++) {
      Path report = dir.resolve("report-" + run + ".jsonl");

      int exit = run("", against("--yes", "--json", "--report", report.toString()));

      assertThat(exit).as("run %d: %s", run, err).isEqualTo(3);
      BsonDocument json = BsonDocument.parse(out.toString());
      assertThat(json.get("failed").asNumber().longValue()).isEqualTo(1);
      assertThat(json.get("migrated").asNumber().longValue()).isEqualTo(run == 1 ? 40 : 0);
      assertThat(err.toString())
          .containsPattern(
              "Failed \\(1\\):\n  _id \"hoarder\": DOCUMENT_TOO_LARGE its update would be \\d+"
                  + " bytes, over the server's limit of 16793600: not sent\n");
      assertThat(Files.readAllLines(report))
          .containsExactly(
              "{\"_id\": \"hoarder\", \"outcome\": \"failed\", \"reason\": \"DOCUMENT_TOO_LARGE\","
                  + " \"notes\": [], \"username\": \"hoarder\"}");
    }
    assertThat(users.countDocuments(BsonDocument.parse("{achievements_v2: {$exists: true}}")))
        .isEqualTo(40);
    assertThat(users.find(BsonDocument.parse("{_id: 'hoarder'}")).first()).isEqualTo(hoarder());
  }

  /**
   * A user of 3 MB (150,000 ids) becomes 12 MB once migrated, under the 16 MB limit: its guarded
   * update holds the array once and the new one, and is sent.
   */
  @Test
  void aLargeUserUnderTheLimitIsMigrated() {
    BsonArray ids = new BsonArray(new ArrayList<>(150_000));
    for (int i = 0; i < 150_000; i++) {
      ids.add(new BsonString(String.format("a%07d", i)));
    }
    users.insertOne(
        new BsonDocument("_id", new BsonString("large"))
            .append(
                "createdAt", BsonDocument.parse("{d: {$date: '2021-01-01T00:00:00Z'}}").get("d"))
            .append("achievements", ids));

    assertThat(run("", against("--yes"))).as(err.toString()).isZero();

    assertThat(users.find().first().getArray("achievements_v2")).hasSize(150_000);
  }
}
