package app.achievements.embedded;

import de.bwaldvogel.mongo.bson.Document;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A test seam: what the embedded server answers to {@code replSetGetStatus} and {@code
 * replSetGetConfig}, in mongod's documented shape, with a replication lag that a test sets. The
 * server stays a standalone for everything else (its {@code hello} names no set, so a driver never
 * looks for other members); until a test calls {@link #replicate}, both commands fail with {@code
 * NoReplicationEnabled} (76), as a standalone mongod's do.
 *
 * <p>The set it describes: this server as PRIMARY, one SECONDARY whose optime is {@link #lag}
 * behind, an ARBITER (no optime), and a member delayed by an hour on purpose ({@code
 * secondaryDelaySecs}), whose optime is an hour behind: a reader of the lag must leave the last two
 * out.
 */
public final class SimulatedReplicaSet {

  static final String SECONDARY = "embedded-secondary:27018";
  static final String ARBITER = "embedded-arbiter:27019";
  static final String DELAYED = "embedded-delayed:27020";

  private final String primary;
  private final Clock clock;
  private volatile boolean replicating;
  private volatile Duration lag = Duration.ZERO;
  private volatile boolean secondaryDown;
  private volatile Document refusal;

  SimulatedReplicaSet(String primary, Clock clock) {
    this.primary = primary;
    this.clock = clock;
  }

  /** From now on, answer as the primary of a replica set whose secondary is {@code lag} behind. */
  public void replicate(Duration lag) {
    this.lag = lag;
    this.secondaryDown = false;
    this.refusal = null;
    this.replicating = true;
  }

  /** The secondary becomes unreachable ({@code health: 0}, {@code (not reachable/healthy)}). */
  public void secondaryDown() {
    this.secondaryDown = true;
  }

  /** Both commands fail with {@code code}, as mongod's do for a user without the role (13). */
  public void refuse(int code, String codeName, String message) {
    this.refusal = error(code, codeName, message);
  }

  /** Back to a standalone. */
  public void standalone() {
    replicating = false;
    refusal = null;
  }

  Document status() {
    Document refused = refusal();
    if (refused != null) {
      return refused;
    }
    Instant now = clock.instant();
    Instant behind = clock.instant().minus(lag);
    Instant anHourBehind = clock.instant().minus(Duration.ofHours(1));
    Document secondary =
        secondaryDown
            ? member(1, SECONDARY, 0, 8, "(not reachable/healthy)", null)
            : member(1, SECONDARY, 1, 2, "SECONDARY", behind);
    return new Document("set", "embedded")
        .append("date", now)
        .append("myState", 1)
        .append(
            "members",
            List.of(
                member(0, primary, 1, 1, "PRIMARY", now).append("self", true),
                secondary,
                member(2, ARBITER, 1, 7, "ARBITER", null),
                member(3, DELAYED, 1, 2, "SECONDARY", anHourBehind)))
        .append("ok", 1.0);
  }

  Document config() {
    Document refused = refusal();
    if (refused != null) {
      return refused;
    }
    return new Document(
            "config",
            new Document("_id", "embedded")
                .append("version", 1)
                .append(
                    "members",
                    List.of(
                        configured(0, primary),
                        configured(1, SECONDARY),
                        configured(2, ARBITER).append("arbiterOnly", true),
                        configured(3, DELAYED)
                            .append("hidden", true)
                            .append("priority", 0)
                            .append("secondaryDelaySecs", 3600L))))
        .append("ok", 1.0);
  }

  /** The error answer both commands give now, or null when they answer. */
  private Document refusal() {
    Document refused = refusal;
    if (refused != null) {
      return refused;
    }
    return replicating ? null : error(76, "NoReplicationEnabled", "not running with --replSet");
  }

  /** An error answer, as mongod sends one ({@code ok: 0}): the driver throws it as a command's. */
  private static Document error(int code, String codeName, String message) {
    return new Document("ok", 0.0)
        .append("errmsg", message)
        .append("code", code)
        .append("codeName", codeName);
  }

  private static Document member(
      int id, String name, int health, int state, String stateStr, Instant optimeDate) {
    Document member =
        new Document("_id", id)
            .append("name", name)
            .append("health", (double) health)
            .append("state", state)
            .append("stateStr", stateStr);
    if (optimeDate != null) {
      member.append("optimeDate", optimeDate);
    }
    return member;
  }

  private static Document configured(int id, String host) {
    return new Document("_id", id)
        .append("host", host)
        .append("arbiterOnly", false)
        .append("hidden", false)
        .append("priority", 1)
        .append("secondaryDelaySecs", 0L)
        .append("votes", 1);
  }
}
