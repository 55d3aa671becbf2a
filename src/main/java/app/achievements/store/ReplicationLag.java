package app.achievements.store;

import com.mongodb.MongoCommandException;
import com.mongodb.MongoException;
import com.mongodb.ReadPreference;
import com.mongodb.client.MongoDatabase;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import org.bson.BsonArray;
import org.bson.BsonBoolean;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.bson.BsonValue;

/**
 * The replication lag of a replica set, as its primary sees it: {@code replSetGetStatus} gives each
 * member's state, health and last applied optime; {@code replSetGetConfig} says which members are
 * arbiters or delayed on purpose. The lag is the primary's {@code optimeDate} minus a secondary's,
 * and the reading is the largest over the healthy, data-bearing members that are not delayed. It
 * fails closed: a member that is unreachable or in any state but PRIMARY and SECONDARY, a set
 * without a primary, or a command that fails make the lag unknown, never 0 (Shopify's LHM read a
 * stopped replica as lag 0 and kept writing).
 *
 * <p>Both commands need the {@code clusterMonitor} role (actions {@code replSetGetStatus} and
 * {@code replSetGetConfig} on the cluster). The configuration changes rarely: it is read again
 * every {@link #CONFIG_EVERY}, or at once when the status names a member it does not know.
 */
public final class ReplicationLag implements LagSource {

  /** How long a configuration read stays good. */
  static final Duration CONFIG_EVERY = Duration.ofSeconds(30);

  /** mongod's codes for a standalone, a missing role, and a command it does not have. */
  static final int NO_REPLICATION_ENABLED = 76;

  static final int UNAUTHORIZED = 13;
  static final int COMMAND_NOT_FOUND = 59;

  /** The role that may read both commands, for the operator. */
  public static final String ROLE = "clusterMonitor";

  private static final int PRIMARY = 1;
  private static final int SECONDARY = 2;
  private static final int ARBITER = 7;

  private final MongoDatabase admin;
  private final BsonValue comment;
  private final LongSupplier nanoTime;
  private BsonDocument config;
  private long configReadAt;

  /** The lag of the replica set behind {@code admin} (the admin database of the run's client). */
  public ReplicationLag(MongoDatabase admin, String comment) {
    this(admin, comment, System::nanoTime);
  }

  ReplicationLag(MongoDatabase admin, String comment, LongSupplier nanoTime) {
    this.admin = admin.withReadPreference(ReadPreference.primary());
    this.comment = new BsonString(comment);
    this.nanoTime = nanoTime;
  }

  @Override
  public synchronized LagReading read() {
    try {
      return readOnce();
    } catch (RuntimeException e) { // an answer of another shape: never a reason to stop looking
      return new LagReading.Unknown("could not make sense of the replica set's status: " + e);
    }
  }

  private LagReading readOnce() {
    BsonDocument status;
    try {
      status = command("replSetGetStatus");
    } catch (MongoCommandException e) {
      return refused("replSetGetStatus", e);
    } catch (MongoException e) {
      return new LagReading.Unknown("replSetGetStatus failed: " + oneLine(e));
    }
    try {
      if (config == null
          || nanoTime.getAsLong() - configReadAt > CONFIG_EVERY.toNanos()
          || !knowsEveryMember(status)) {
        config = command("replSetGetConfig").getDocument("config", new BsonDocument());
        configReadAt = nanoTime.getAsLong();
      }
    } catch (MongoCommandException e) {
      return refused("replSetGetConfig", e);
    } catch (MongoException e) {
      return new LagReading.Unknown("replSetGetConfig failed: " + oneLine(e));
    }
    return of(status, config);
  }

  private BsonDocument command(String name) {
    return admin.runCommand(
        new BsonDocument(name, new BsonInt32(1)).append("comment", comment), BsonDocument.class);
  }

  /**
   * What a refusal of {@code command} says of the lag: a mongos answers {@code replSetGetStatus is
   * not supported through mongos} with {@code info: "mongos"} (its own command, registered for the
   * router, that only refuses).
   */
  static LagReading refused(String command, MongoCommandException e) {
    BsonValue info = e.getResponse().get("info");
    if (info != null && info.isString() && info.asString().getValue().equals("mongos")) {
      return new LagReading.Unreadable(
          "a mongos does not answer "
              + command
              + ": the shards' lag cannot be read through it; pass --max-lag 0 to run without the"
              + " lag check (majority writes still wait for each shard's majority)");
    }
    return switch (e.getErrorCode()) {
      case NO_REPLICATION_ENABLED -> new LagReading.Standalone();
      case UNAUTHORIZED ->
          new LagReading.Unreadable(
              "this user may not run "
                  + command
                  + ": grant it the "
                  + ROLE
                  + " role (on admin), or pass --max-lag 0 to run without the lag check");
      case COMMAND_NOT_FOUND ->
          new LagReading.Unreadable(
              "the server does not answer "
                  + command
                  + " (a mongos, say); pass"
                  + " --max-lag 0 to run without the lag check");
      default ->
          new LagReading.Unknown(
              command + " failed: error " + e.getErrorCode() + " " + oneLine(e.getErrorMessage()),
              true);
    };
  }

  private boolean knowsEveryMember(BsonDocument status) {
    Map<String, BsonDocument> configured = configured(config);
    for (BsonValue member : status.getArray("members", new BsonArray())) {
      if (member.isDocument() && !configured.containsKey(text(member.asDocument().get("name")))) {
        return false;
      }
    }
    return true;
  }

  /**
   * The reading of a {@code replSetGetStatus} answer, with the {@code config} document of {@code
   * replSetGetConfig}: pure, for tests.
   */
  static LagReading of(BsonDocument status, BsonDocument config) {
    Map<String, BsonDocument> configured = configured(config);
    BsonDocument primary = null;
    for (BsonValue member : status.getArray("members", new BsonArray())) {
      if (member.isDocument() && number(member.asDocument().get("state")) == PRIMARY) {
        primary = member.asDocument();
      }
    }
    if (primary == null) {
      return new LagReading.Unknown("the replica set has no primary (an election under way?)");
    }
    BsonValue primaryOptime = primary.get("optimeDate");
    if (primaryOptime == null || !primaryOptime.isDateTime()) {
      return new LagReading.Unknown("the primary " + text(primary.get("name")) + " has no optime");
    }
    Duration worst = Duration.ZERO;
    String worstMember = null;
    for (BsonValue value : status.getArray("members")) {
      if (!value.isDocument()) {
        return new LagReading.Unknown("replSetGetStatus lists a member that is no document");
      }
      BsonDocument member = value.asDocument();
      if (member == primary) {
        continue;
      }
      String name = text(member.get("name"));
      BsonDocument settings = configured.getOrDefault(name, new BsonDocument());
      if (number(member.get("state")) == ARBITER
          || settings.getBoolean("arbiterOnly", BsonBoolean.FALSE).getValue()
          || delayed(settings)) {
        continue; // no data, or behind on purpose
      }
      String state = text(member.get("stateStr"));
      if (number(member.get("health")) != 1) {
        return new LagReading.Unknown(name + " is not reachable (" + state + ")");
      }
      if (number(member.get("state")) != SECONDARY) {
        return new LagReading.Unknown(name + " is " + state + ", not SECONDARY");
      }
      BsonValue optime = member.get("optimeDate");
      if (optime == null || !optime.isDateTime()) {
        return new LagReading.Unknown(name + " reports no optime");
      }
      Duration lag =
          Duration.ofMillis(primaryOptime.asDateTime().getValue() - optime.asDateTime().getValue());
      if (worstMember == null || lag.compareTo(worst) > 0) {
        worst = lag;
        worstMember = name;
      }
    }
    return new LagReading.Measured(worst, worstMember);
  }

  /** The configured members by host; a member's {@code host} is its {@code name} in the status. */
  private static Map<String, BsonDocument> configured(BsonDocument config) {
    Map<String, BsonDocument> members = new HashMap<>();
    if (config != null) {
      for (BsonValue member : config.getArray("members", new BsonArray())) {
        if (member.isDocument()) {
          members.put(text(member.asDocument().get("host")), member.asDocument());
        }
      }
    }
    return members;
  }

  /** {@code secondaryDelaySecs} (MongoDB 5.0 on) or {@code slaveDelay} (before) above 0. */
  private static boolean delayed(BsonDocument settings) {
    return number(settings.get("secondaryDelaySecs")) > 0 || number(settings.get("slaveDelay")) > 0;
  }

  private static double number(BsonValue value) {
    return value != null && value.isNumber() ? value.asNumber().doubleValue() : -1;
  }

  private static String text(BsonValue value) {
    return value != null && value.isString() ? value.asString().getValue() : "?";
  }

  private static String oneLine(MongoException e) {
    return e.getClass().getSimpleName() + ": " + oneLine(e.getMessage());
  }

  private static String oneLine(String message) {
    if (message == null) {
      return "(no message)";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
