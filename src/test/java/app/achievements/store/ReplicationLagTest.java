package app.achievements.store;

import static org.assertj.core.api.Assertions.assertThat;

import app.achievements.embedded.EmbeddedMongo;
import com.mongodb.MongoCommandException;
import com.mongodb.ServerAddress;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import java.time.Duration;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.junit.jupiter.api.Test;

/**
 * The lag of a replica set, from {@code replSetGetStatus} and {@code replSetGetConfig} answers in
 * mongod's documented shape; and from the embedded server's simulation of one.
 */
class ReplicationLagTest {

  private static final String PRIMARY_AT = "2026-01-02T03:04:05.000Z";

  private static BsonDocument member(String name, int health, int state, String optime) {
    String stateStr =
        switch (state) {
          case 1 -> "PRIMARY";
          case 2 -> "SECONDARY";
          case 3 -> "RECOVERING";
          case 7 -> "ARBITER";
          case 8 -> "(not reachable/healthy)";
          default -> "STARTUP2";
        };
    return BsonDocument.parse(
        "{name: '"
            + name
            + "', health: "
            + health
            + ".0, state: "
            + state
            + ", stateStr: '"
            + stateStr
            + "'"
            + (optime == null ? "" : ", optimeDate: {$date: '" + optime + "'}")
            + "}");
  }

  private static BsonDocument status(BsonDocument... members) {
    BsonDocument status = BsonDocument.parse("{set: 'rs0', myState: 1, members: [], ok: 1}");
    for (BsonDocument member : members) {
      status.getArray("members").add(member);
    }
    return status;
  }

  /** A primary, two secondaries, an arbiter, and a member delayed an hour on purpose. */
  private static final BsonDocument CONFIG =
      BsonDocument.parse(
          "{_id: 'rs0', members: ["
              + "{_id: 0, host: 'a:27017'}, {_id: 1, host: 'b:27017'}, {_id: 2, host: 'c:27017'},"
              + "{_id: 3, host: 'arb:27017', arbiterOnly: true},"
              + "{_id: 4, host: 'late:27017', hidden: true, priority: 0, secondaryDelaySecs: 3600}]}");

  @Test
  void theLagIsTheWorstHealthySecondaryLeavingOutArbitersAndDelayedMembers() {
    LagReading reading =
        ReplicationLag.of(
            status(
                member("a:27017", 1, 1, PRIMARY_AT),
                member("b:27017", 1, 2, "2026-01-02T03:04:04.600Z"),
                member("c:27017", 1, 2, "2026-01-02T03:03:51.000Z"),
                member("arb:27017", 1, 7, null),
                member("late:27017", 1, 2, "2026-01-02T02:04:05.000Z")),
            CONFIG);
    assertThat(reading).isEqualTo(new LagReading.Measured(Duration.ofSeconds(14), "c:27017"));
  }

  @Test
  void mongodBeforeFiveNamesTheDelaySlaveDelay() {
    BsonDocument old =
        BsonDocument.parse(
            "{members: [{host: 'a:27017'}, {host: 'late:27017', slaveDelay: 600, priority: 0}]}");
    assertThat(
            ReplicationLag.of(
                status(
                    member("a:27017", 1, 1, PRIMARY_AT),
                    member("late:27017", 1, 2, "2026-01-02T02:54:05.000Z")),
                old))
        .isEqualTo(new LagReading.Measured(Duration.ZERO, null));
  }

  @Test
  void anUnreachableMemberOrOneInAnotherStateMakesTheLagUnknownNotZero() {
    assertThat(
            ReplicationLag.of(
                status(
                    member("a:27017", 1, 1, PRIMARY_AT),
                    member("b:27017", 1, 2, PRIMARY_AT),
                    member("c:27017", 0, 8, null)),
                CONFIG))
        .isEqualTo(new LagReading.Unknown("c:27017 is not reachable ((not reachable/healthy))"));
    assertThat(
            ReplicationLag.of(
                status(member("a:27017", 1, 1, PRIMARY_AT), member("b:27017", 1, 3, PRIMARY_AT)),
                CONFIG))
        .isEqualTo(new LagReading.Unknown("b:27017 is RECOVERING, not SECONDARY"));
    assertThat(
            ReplicationLag.of(
                status(member("a:27017", 1, 1, PRIMARY_AT), member("b:27017", 1, 2, null)), CONFIG))
        .isEqualTo(new LagReading.Unknown("b:27017 reports no optime"));
  }

  @Test
  void aSetWithoutAPrimaryHasNoLagToTell() {
    assertThat(
            ReplicationLag.of(
                status(member("a:27017", 1, 2, PRIMARY_AT), member("b:27017", 1, 2, PRIMARY_AT)),
                CONFIG))
        .isInstanceOf(LagReading.Unknown.class);
  }

  @Test
  void anAnswerOfAnotherShapeIsAnUnknownLagNotAFailure() {
    BsonDocument odd = status(member("a:27017", 1, 1, PRIMARY_AT));
    odd.getArray("members").add(new BsonString("b:27017"));
    assertThat(ReplicationLag.of(odd, CONFIG))
        .isEqualTo(new LagReading.Unknown("replSetGetStatus lists a member that is no document"));
    MongoCommandException numericInfo =
        new MongoCommandException(
            BsonDocument.parse(
                "{ok: 0, code: 8000, codeName: 'AtlasError', errmsg: 'no', info: 3}"),
            new ServerAddress());
    assertThat(ReplicationLag.refused("replSetGetStatus", numericInfo))
        .isEqualTo(new LagReading.Unknown("replSetGetStatus failed: error 8000 no", true));
  }

  @Test
  void aMongosSaysItCannotAndIsNeverReadAsNoLag() {
    MongoCommandException mongos =
        new MongoCommandException(
            BsonDocument.parse(
                "{ok: 0, errmsg: 'replSetGetStatus is not supported through mongos',"
                    + " info: 'mongos'}"),
            new ServerAddress());
    assertThat(ReplicationLag.refused("replSetGetStatus", mongos))
        .isEqualTo(
            new LagReading.Unreadable(
                "a mongos does not answer replSetGetStatus: the shards' lag cannot be read through"
                    + " it; pass --max-lag 0 to run without the lag check (majority writes still"
                    + " wait for each shard's majority)"));
  }

  @Test
  void readsTheEmbeddedServersStandaloneReplicaSetAndRefusals() {
    try (EmbeddedMongo server = EmbeddedMongo.start(0);
        MongoClient client = MongoClients.create(server.connectionString())) {
      ReplicationLag lag = new ReplicationLag(client.getDatabase("admin"), "test");
      assertThat(lag.read()).isEqualTo(new LagReading.Standalone());

      server.replication().replicate(Duration.ofMillis(2500));
      LagReading reading = lag.read();
      // the arbiter and the member an hour behind on purpose are left out
      assertThat(reading).isInstanceOf(LagReading.Measured.class);
      LagReading.Measured measured = (LagReading.Measured) reading;
      assertThat(measured.member()).isEqualTo("embedded-secondary:27018");
      assertThat(measured.lag()).isBetween(Duration.ofMillis(2400), Duration.ofMillis(2600));

      server.replication().secondaryDown();
      assertThat(lag.read())
          .isEqualTo(
              new LagReading.Unknown(
                  "embedded-secondary:27018 is not reachable ((not reachable/healthy))"));

      server.replication().refuse(13, "Unauthorized", "not authorized on admin");
      assertThat(lag.read())
          .isEqualTo(
              new LagReading.Unreadable(
                  "this user may not run replSetGetStatus: grant it the clusterMonitor role (on"
                      + " admin), or pass --max-lag 0 to run without the lag check"));
      server.replication().refuse(59, "CommandNotFound", "no such command");
      assertThat(lag.read()).isInstanceOf(LagReading.Unreadable.class);
      server.replication().refuse(11600, "InterruptedAtShutdown", "shutting down");
      assertThat(lag.read())
          .isEqualTo(
              new LagReading.Unknown("replSetGetStatus failed: error 11600 shutting down", true));
    }
  }
}
