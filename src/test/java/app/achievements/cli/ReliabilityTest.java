package app.achievements.cli;

import static org.assertj.core.api.Assertions.assertThat;

import app.achievements.embedded.SampleUsers;
import app.achievements.rules.Finding;
import app.achievements.rules.Verification;
import app.achievements.support.FaultProxy;
import app.achievements.support.TestMongo;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.bson.BsonDocument;
import org.junit.jupiter.api.Test;

/** Connections cut under a running migration; a server that goes away for good. */
class ReliabilityTest extends CommandTestBase {

  private String proxied(FaultProxy proxy) {
    return "mongodb://127.0.0.1:"
        + proxy.port()
        + "/?serverSelectionTimeoutMS=1000&connectTimeoutMS=1000";
  }

  private void assertEveryUserWhole(List<BsonDocument> before) {
    List<BsonDocument> after =
        users.find().sort(BsonDocument.parse("{_id: 1}")).into(new ArrayList<>());
    assertThat(after).hasSameSizeAs(before);
    for (int i = 0; i < before.size(); i++) {
      if (!after.get(i).equals(before.get(i))) {
        assertThat(Verification.check(after.get(i), runStarts()).finding())
            .as(after.get(i).toJson())
            .isEqualTo(Finding.MIGRATED);
      }
    }
  }

  /** The start instants the runs recorded: what verify accepts for the run-start fallback. */
  private Set<Instant> runStarts() {
    return app.achievements.store.MongoRunJournal.recordedRunStarts(
        database.getCollection("migrate_history", BsonDocument.class), database.getName(), "users");
  }

  @Test
  void aRunWhoseConnectionsAreCutAgainAndAgainCompletesAndEveryUserIsRight() throws Exception {
    SampleUsers.insert(users, 2000, 8);
    List<BsonDocument> before =
        users.find().sort(BsonDocument.parse("{_id: 1}")).into(new ArrayList<>());
    ScheduledExecutorService cutter = Executors.newSingleThreadScheduledExecutor();
    try (FaultProxy proxy = new FaultProxy(TestMongo.server().port())) {
      cutter.scheduleAtFixedRate(proxy::cutAll, 200, 250, TimeUnit.MILLISECONDS);

      int exit =
          run(
              "",
              "--uri",
              proxied(proxy),
              "-d",
              database.getName(),
              "--yes",
              "--batch-size",
              "50",
              "--max-retries",
              "100",
              "--json");

      cutter.shutdownNow();
      assertThat(exit)
          .as(err.toString())
          .isEqualTo(3); // the sample has users that cannot be converted
      assertThat(proxy.cuts()).isGreaterThan(3);
    }
    assertEveryUserWhole(before);
    long stillEligible =
        users.find().into(new ArrayList<>()).stream()
            .filter(u -> Verification.check(u, runStarts()).finding() == Finding.STILL_ELIGIBLE)
            .count();
    assertThat(stillEligible).isZero();
    BsonDocument json = BsonDocument.parse(out.toString());
    assertThat(json.get("failed").asNumber().longValue()).isZero();
  }

  @Test
  void aServerThatStaysDownExhaustsTheRetriesExitOneNothingHalfWritten() throws Exception {
    SampleUsers.insert(users, 2000, 8);
    List<BsonDocument> before =
        users.find().sort(BsonDocument.parse("{_id: 1}")).into(new ArrayList<>());
    ScheduledExecutorService killer = Executors.newSingleThreadScheduledExecutor();
    try (FaultProxy proxy = new FaultProxy(TestMongo.server().port())) {
      // down for good once the run has begun writing
      killer.submit(
          () -> {
            while (users.countDocuments(
                    BsonDocument.parse("{'achievements_v2.0': {$exists: true}}"))
                < 400) {
              Thread.sleep(5);
            }
            proxy.goDown();
            return null;
          });

      int exit =
          run(
              "",
              "--uri",
              proxied(proxy),
              "-d",
              database.getName(),
              "--yes",
              "--batch-size",
              "20",
              "--max-retries",
              "3",
              "--retry-timeout",
              "20");

      killer.shutdownNow();
      assertThat(exit).isEqualTo(1);
      assertThat(err.toString())
          .startsWith("error: cannot reach MongoDB at 127.0.0.1:" + proxy.port());
      assertThat(out.toString()).contains("Stopped by an error; counts so far:");
    }
    var history = database.getCollection("migrate_history", BsonDocument.class);
    // the server was out of reach: the run could not record its end itself
    assertThat(history.find().first().getString("status").getValue()).isEqualTo("running");
    assertEveryUserWhole(before);

    // the next run (here at once, with --force-unlock) records it failed, and finishes the job
    assertThat(run("", against("--yes", "--force-unlock"))).isEqualTo(3);
    List<BsonDocument> runs =
        history.find().sort(BsonDocument.parse("{startedAt: 1}")).into(new ArrayList<>());
    assertThat(runs).hasSize(2);
    assertThat(runs.get(0).getString("status").getValue()).isEqualTo("failed");
    assertThat(runs.get(0).getString("note").getValue())
        .isEqualTo("its lock was forced away (--force-unlock)");
    assertThat(runs.get(1).getString("status").getValue()).isEqualTo("completed");
  }
}
