package app.achievements.store;

import org.bson.BsonBoolean;
import org.bson.BsonDocument;
import org.bson.BsonValue;

/**
 * What operators asked of a live run with {@code pause}, {@code resume} and {@code set}: the
 * control part of its lock document ({@code control}), {@code seq} counting the requests, so that
 * the run applies each once. The settings are null where nobody changed them.
 *
 * @param seq how many requests were made of this run
 * @param paused whether it should send no new batch
 * @param by who made the latest request, for people: {@code pause from alice@bastion (pid 42)}
 * @param maxRate users per second at most (0: no limit), or null
 * @param batchSize users per bulk write at most, or null
 * @param maxLagSeconds replication lag at most (0: not checked), or null
 */
public record RunControl(
    long seq, boolean paused, String by, Double maxRate, Integer batchSize, Double maxLagSeconds) {

  /** Nothing asked. */
  public static final RunControl NONE = new RunControl(0, false, null, null, null, null);

  /** The control part of a lock document (missing: {@link #NONE}). */
  public static RunControl of(BsonDocument control) {
    if (control == null) {
      return NONE;
    }
    return new RunControl(
        number(control.get("seq")) == null ? 0 : number(control.get("seq")).longValue(),
        control.getBoolean("paused", BsonBoolean.FALSE).getValue(),
        describe(control.get("by")),
        number(control.get("maxRate")),
        number(control.get("batchSize")) == null
            ? null
            : (int) number(control.get("batchSize")).doubleValue(),
        number(control.get("maxLag")));
  }

  /**
   * Who asked, for people: {@code pause from alice@bastion (pid 42)}, out of {@code {command, user,
   * host, pid}}.
   */
  static String describe(BsonValue by) {
    if (by == null || !by.isDocument()) {
      return null;
    }
    BsonDocument who = by.asDocument();
    Double pid = number(who.get("pid"));
    return text(who.get("command"))
        + " from "
        + text(who.get("user"))
        + "@"
        + text(who.get("host"))
        + " (pid "
        + (pid == null ? "?" : Long.toString(pid.longValue()))
        + ")";
  }

  private static Double number(BsonValue value) {
    return value != null && value.isNumber() ? value.asNumber().doubleValue() : null;
  }

  private static String text(BsonValue value) {
    return value != null && value.isString() ? value.asString().getValue() : "?";
  }
}
