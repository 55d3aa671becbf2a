package app.achievements.cli;

import static org.assertj.core.api.Assertions.assertThat;

import app.achievements.embedded.SampleUsers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bson.BsonDocument;
import org.bson.RawBsonDocument;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** migrate.jar rollback: removes the migration's achievements_v2 only. */
class RollbackCommandTest extends CommandTestBase {

  @TempDir Path dir;

  private String[] rollback(String... args) {
    List<String> all = new ArrayList<>(List.of("rollback"));
    all.addAll(List.of(against(args)));
    return all.toArray(String[]::new);
  }

  /** The users as exact Extended JSON (field order kept), by _id, leaving out user {@code id}. */
  private List<String> bytesWithout(int id) {
    List<String> documents = new ArrayList<>();
    for (RawBsonDocument user :
        users
            .withDocumentClass(RawBsonDocument.class)
            .find(BsonDocument.parse("{_id: {$ne: " + id + "}}"))
            .sort(BsonDocument.parse("{_id: 1}"))) {
      documents.add(user.toJson());
    }
    return documents;
  }

  @Test
  void removesTheMigrationsV2KeepsATamperedOneAndASecondMigrationRestores() throws IOException {
    for (int i = 1; i <= 6; i++) {
      users.insertOne(
          BsonDocument.parse(
              "{_id: "
                  + i
                  + ", username: 'u"
                  + i
                  + "', createdAt: {$date: '2021-01-0"
                  + i
                  + "T00:00:00Z'}, achievements: ['a', "
                  + i
                  + "]}"));
    }
    List<String> original = bytesWithout(3);
    assertThat(run("", against("--yes"))).isZero();
    List<String> migrated = bytesWithout(3);
    // the application appends an unlock to user 3
    users.updateOne(
        BsonDocument.parse("{_id: 3}"),
        BsonDocument.parse(
            "{$push: {achievements_v2: {achievementId: 'new', unlockedAt: {$date: 0}}}}"));
    BsonDocument tampered = users.find(BsonDocument.parse("{_id: 3}")).first();
    Path report = dir.resolve("rollback.jsonl");

    assertThat(run("YES\n", rollback("--report", report.toString()))).isEqualTo(3);

    assertThat(out.toString())
        .contains("Users with achievements_v2 exactly as migrated: 5\n")
        .contains(
            "Remove achievements_v2 from 5 users in "
                + database.getName()
                + ".users? Type YES to continue: \n")
        .contains("  rolled back  5\n")
        .contains("  kept         1 ")
        .contains("  _id 3: kept IDS_DIFFER\n");
    assertThat(bytesWithout(3)).isEqualTo(original);
    assertThat(users.find(BsonDocument.parse("{_id: 3}")).first()).isEqualTo(tampered);
    assertThat(Files.readAllLines(report))
        .containsExactly(
            "{\"_id\": {\"$numberInt\": \"3\"}, \"outcome\": \"kept\", \"reason\": \"IDS_DIFFER\", \"notes\": [], \"username\": \"u3\"}");

    assertThat(run("", against("--yes"))).isZero();
    assertThat(bytesWithout(3)).isEqualTo(migrated);
  }

  @Test
  void dryRunAndDeclinedPromptWriteNothing() {
    SampleUsers.insert(users, 200, 9);
    run("", against("--yes"));
    List<String> migrated = snapshot();

    assertThat(run("", rollback("--dry-run", "--json"))).isIn(0, 3);
    BsonDocument json = BsonDocument.parse(out.toString());
    assertThat(json.getString("command").getValue()).isEqualTo("rollback");
    assertThat(json.getBoolean("dryRun").getValue()).isTrue();
    assertThat(json.get("rolledBack").asNumber().longValue()).isPositive();
    assertThat(snapshot()).isEqualTo(migrated);

    assertThat(run("no\n", rollback())).isEqualTo(4);
    assertThat(out.toString()).endsWith("Aborted: the answer was not YES; nothing was written.\n");
    assertThat(run("", rollback())).isEqualTo(4);
    assertThat(snapshot()).isEqualTo(migrated);
  }

  @Test
  void nothingToRollBack() {
    users.insertOne(BsonDocument.parse("{_id: 1, achievements: ['a']}"));
    assertThat(run("", rollback())).isZero();
    assertThat(out.toString())
        .endsWith("Users with achievements_v2 exactly as migrated: 0\nNothing to roll back.\n");
  }
}
