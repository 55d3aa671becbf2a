package app.achievements.cli;

import static org.assertj.core.api.Assertions.assertThat;

import app.achievements.embedded.SampleUsers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bson.BsonDocument;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** migrate.jar verify, on clean and on tampered data. */
class VerifyCommandTest extends CommandTestBase {

  @TempDir Path dir;

  private static final String D = "{$date: '2021-01-01T00:00:00Z'}";

  @Test
  void holdsAfterAMigrationAndWritesNothing() {
    SampleUsers.insert(users, 400, 11);
    // achievements_v2: [null] is not the migration's doing: verify would rightly call it a mismatch
    assertThat(
            users
                .deleteMany(
                    BsonDocument.parse("{'achievements_v2.0': null, achievements_v2: {$size: 1}}"))
                .getDeletedCount())
        .isPositive();
    assertThat(run("", against("--yes"))).isEqualTo(3);
    List<String> migrated = snapshot();
    List<String> collections = database.listCollectionNames().into(new ArrayList<>());
    long historyEntries = database.getCollection("migrate_history").countDocuments();

    int exit = run("", verify());
    assertThat(exit).as(out.toString()).isZero();

    assertThat(out.toString())
        .contains("Verified: every check holds.\n")
        .contains("  mismatch             0\n")
        .contains("  still eligible       0\n");
    assertThat(snapshot()).isEqualTo(migrated);
    assertThat(database.listCollectionNames().into(new ArrayList<>()))
        .containsExactlyInAnyOrderElementsOf(collections);
    assertThat(database.getCollection("migrate_history").countDocuments())
        .isEqualTo(historyEntries);
  }

  @Test
  void findsUsersNotMigratedYet() {
    SampleUsers.insert(users, 100, 11);
    assertThat(run("", verify("--json"))).isEqualTo(3);
    BsonDocument json = BsonDocument.parse(out.toString());
    assertThat(json.getString("command").getValue()).isEqualTo("verify");
    assertThat(json.get("stillEligible").asNumber().longValue()).isPositive();
    assertThat(json.getInt32("exitCode").getValue()).isEqualTo(3);
    assertThat(err.toString()).contains("Verify found problems.");
  }

  @Test
  void findsBothKindsOfTamperingAndReportsThemAll() throws IOException {
    users.insertMany(
        List.of(
            BsonDocument.parse("{_id: 1, createdAt: " + D + ", achievements: ['a']}"),
            BsonDocument.parse("{_id: 2, createdAt: " + D + ", achievements: ['b']}"),
            BsonDocument.parse("{_id: 3, createdAt: " + D + ", achievements: ['c']}"),
            BsonDocument.parse("{_id: 4, createdAt: " + D + ", achievements: ['d']}")));
    assertThat(run("", against("--yes"))).isZero();
    // an unlock appended by hand: the ids no longer match achievements
    users.updateOne(
        BsonDocument.parse("{_id: 1}"),
        BsonDocument.parse(
            "{$push: {achievements_v2: {achievementId: 'x', unlockedAt: " + D + "}}}"));
    // a date changed by hand
    users.updateOne(
        BsonDocument.parse("{_id: 2}"),
        BsonDocument.parse("{$set: {'achievements_v2.0.unlockedAt': {$date: 0}}}"));
    // legacy achievements changed after the migration
    users.updateOne(
        BsonDocument.parse("{_id: 3}"), BsonDocument.parse("{$set: {achievements: ['c', 'e']}}"));
    // and one user not migrated
    users.insertOne(BsonDocument.parse("{_id: 5, achievements: ['f']}"));
    Path report = dir.resolve("verify.jsonl");

    assertThat(run("", verify("--report", report.toString()))).isEqualTo(3);

    assertThat(out.toString())
        .contains("  mismatch             3\n")
        .contains("  still eligible       1\n")
        .contains(
            "Mismatch (3):\n  _id 1: IDS_DIFFER\n  _id 2: UNLOCKED_AT_DIFFERS\n  _id 3: IDS_DIFFER\n")
        .contains("Still eligible (1):\n  _id 5\n");
    assertThat(Files.readAllLines(report))
        .containsExactly(
            "{\"_id\": {\"$numberInt\": \"1\"}, \"outcome\": \"mismatch\", \"reason\": \"IDS_DIFFER\", \"notes\": []}",
            "{\"_id\": {\"$numberInt\": \"2\"}, \"outcome\": \"mismatch\", \"reason\": \"UNLOCKED_AT_DIFFERS\", \"notes\": []}",
            "{\"_id\": {\"$numberInt\": \"3\"}, \"outcome\": \"mismatch\", \"reason\": \"IDS_DIFFER\", \"notes\": []}",
            "{\"_id\": {\"$numberInt\": \"5\"}, \"outcome\": \"still_eligible\", \"notes\": []}");
  }

  private String[] verify(String... args) {
    List<String> all = new ArrayList<>(List.of("verify"));
    all.addAll(List.of(against(args)));
    return all.toArray(String[]::new);
  }
}
