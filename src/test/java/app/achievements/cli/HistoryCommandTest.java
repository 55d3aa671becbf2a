package app.achievements.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.bson.BsonDocument;
import org.junit.jupiter.api.Test;

/** Real runs record themselves; dry runs and verify do not; a held lock exits 5. */
class HistoryCommandTest extends CommandTestBase {

  @Test
  void realRunsRecordThemselvesDryRunsAndVerifyDoNot() {
    users.insertOne(BsonDocument.parse("{_id: 1, achievements: ['a'], createdAt: {$date: 0}}"));
    assertThat(run("", against("--dry-run"))).isZero();
    assertThat(run("", sub("verify"))).isEqualTo(3); // not migrated yet
    assertThat(database.listCollectionNames().into(new ArrayList<>())).containsExactly("users");

    assertThat(run("", against("--yes"))).isZero();
    assertThat(run("", sub("rollback", "--yes"))).isZero();

    List<BsonDocument> runs =
        database
            .getCollection("migrate_history", BsonDocument.class)
            .find()
            .into(new ArrayList<>());
    assertThat(runs).hasSize(2);
    BsonDocument migrate = runs.get(0);
    assertThat(migrate.getString("command").getValue()).isEqualTo("migrate");
    assertThat(migrate.getString("status").getValue()).isEqualTo("completed");
    assertThat(migrate.getDocument("counts").get("migrated").asNumber().longValue()).isEqualTo(1);
    assertThat(migrate.keySet())
        .contains(
            "_id",
            "database",
            "collection",
            "options",
            "tool",
            "host",
            "user",
            "pid",
            "startedAt",
            "endedAt");
    assertThat(migrate.toJson()).doesNotContain("mongodb://");
    assertThat(runs.get(1).getString("command").getValue()).isEqualTo("rollback");
    assertThat(database.getCollection("migrate_history_locks").countDocuments()).isZero();

    assertThat(run("", sub("history"))).isZero();
    assertThat(out.toString())
        .contains("  migrate   completed")
        .contains("  rollback  completed")
        .contains("migrated 1");
    assertThat(run("", sub("history", "--json", "--limit", "1"))).isZero();
    assertThat(BsonDocument.parse(out.toString()).getArray("runs")).hasSize(1);
  }

  @Test
  void historyListsTheRunsOfItsCollectionOnly() {
    users.insertOne(BsonDocument.parse("{_id: 1, achievements: ['a'], createdAt: {$date: 0}}"));
    database
        .getCollection("members", BsonDocument.class)
        .insertOne(BsonDocument.parse("{_id: 1, achievements: ['a'], createdAt: {$date: 0}}"));
    assertThat(run("", against("--yes"))).isZero();
    assertThat(run("", against("--yes", "--collection", "members"))).isZero();

    assertThat(run("", sub("history", "--collection", "members", "--json"))).isZero();
    assertThat(BsonDocument.parse(out.toString()).getArray("runs"))
        .singleElement()
        .satisfies(
            r ->
                assertThat(r.asDocument().getString("collection").getValue()).isEqualTo("members"));
    assertThat(run("", sub("history", "--collection", "nobody"))).isZero();
    assertThat(out.toString())
        .endsWith(
            "No runs of "
                + database.getName()
                + ".nobody recorded in "
                + database.getName()
                + ".migrate_history.\n");
  }

  @Test
  void aSecondRunExitsFiveAtOnceAndWritesNothing() {
    users.insertOne(BsonDocument.parse("{_id: 1, achievements: ['a'], createdAt: {$date: 0}}"));
    // a live holder that renewed 29 s ago: its lease lasts 16 s more, and it counts it as held 1 s
    // more, which is how long --force-unlock must wait (and a second for the clocks)
    Instant expiresAt = Instant.now().truncatedTo(ChronoUnit.SECONDS).plusSeconds(16);
    database
        .getCollection("migrate_history_locks", BsonDocument.class)
        .insertOne(
            BsonDocument.parse(
                "{_id: '"
                    + database.getName()
                    + ".users', owner: {runId: 'r1', host: 'h1', pid: 7,"
                    + " command: 'migrate'}, since: {$date: '2026-01-02T03:00:00Z'}, expiresAt:"
                    + " {$date: '"
                    + expiresAt
                    + "'}}"));
    List<String> before = snapshot();

    assertThat(run("", against("--yes"))).isEqualTo(5);

    assertThat(err.toString())
        .isEqualTo(
            "error: another run holds the lock on "
                + database.getName()
                + ".users: run r1 (migrate) on h1, pid 7, since 2026-01-02T03:00:00Z, lease until "
                + expiresAt
                + "; if that run is gone, wait for its lease to lapse or use"
                + " --force-unlock\n");
    assertThat(snapshot()).isEqualTo(before);
    assertThat(database.getCollection("migrate_history").countDocuments()).isZero();

    assertThat(run("", against("--yes", "--force-unlock"))).isZero();
    assertThat(users.find().first().containsKey("achievements_v2")).isTrue();
  }
}
