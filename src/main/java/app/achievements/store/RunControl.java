package app.achievements.store;

import org.bson.BsonDocument;
import org.bson.BsonValue;

/**
 * What operators asked of a live run with {@code pause}, {@code resume} and {@code set}: the
 * control part of its lock document ({@code control}), {@code seq} counting the requests, so that
 * the run applies each once. The settings are null where nobody changed them, and so is whatever is
 * not of its type (a lock document edited by hand): it is left as it is.
 *
 * @param seq how many requests were made of this run; -1 when it is not an integer, and then
 *     nothing is applied until a request sets it right ({@link LiveRuns#request})
 * @param paused whether it should send no new batch, or null
 * @param by who made the latest request, for people: {@code pause from alice@bastion (pid 42)}
 * @param maxRate users per second at most (0: no limit), or null
 * @param batchSize users per bulk write at most, or null
 * @param maxLagSeconds replication lag at most (0: not checked), or null
 */
public record RunControl(
    long seq, Boolean paused, String by, Double maxRate, Integer batchSize, Double maxLagSeconds) {

  /** Nothing asked. */
  public static final RunControl NONE = new RunControl(0, null, null, null, null, null);

  /** The control part of a lock document (missing: {@link #NONE}). */
  public static RunControl of(BsonDocument control) {
    if (control == null) {
      return NONE;
    }
    BsonValue paused = control.get("paused");
    Double size = number(control.get("batchSize"));
    return new RunControl(
        seq(control.get("seq")),
        paused != null && paused.isBoolean() ? paused.asBoolean().getValue() : null,
        describe(control.get("by")),
        number(control.get("maxRate")),
        size != null && size == Math.rint(size) && Math.abs(size) <= Integer.MAX_VALUE
            ? (int) size.doubleValue()
            : null,
        number(control.get("maxLag")));
  }

  /** The number of requests: an integer, 0 when none was made, -1 when it is not an integer. */
  static long seq(BsonValue seq) {
    if (seq == null) {
      return 0;
    }
    return seq.isInt32() || seq.isInt64() ? Math.max(-1, seq.asNumber().longValue()) : -1;
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
