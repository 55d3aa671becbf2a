package app.achievements.store;

import app.achievements.rules.Conversion;
import app.achievements.rules.Fields;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.bson.BsonArray;
import org.bson.BsonBoolean;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonNull;
import org.bson.BsonString;
import org.bson.BsonType;
import org.bson.BsonValue;

/**
 * The filter of a migration write. It matches the user only while everything the conversion read is
 * still there: the same {@code _id}, the same {@code achievements} value, the same {@code
 * createdAt} value or its absence, and {@code achievements_v2} still missing, null or empty. A user
 * that the application changed in between does not match, so stale data is never written over it.
 *
 * <p>The values are compared with the aggregation {@code $eq} inside {@code $expr}, which compares
 * whole values: the query form {@code {achievements: [...]}} would also match an array that merely
 * contains the array read as one of its elements. {@code $literal} keeps ids such as {@code "$x"}
 * from being read as field paths. The filter is one flat document led by {@code _id} equality, so
 * that servers select the user through the {@code _id} index.
 *
 * <p>{@code $eq} compares within a type bracket: the double {@code 1600000000.0} equals {@code
 * NumberDecimal("1600000000")}, a string equals the symbol of the same text, yet the conversion
 * treats them differently. So the filter also pins the BSON types of what the conversion read:
 *
 * <ul>
 *   <li>{@code createdAt}: its exact {@code $type} (every type is read differently: a decimal is no
 *       epoch time, a symbol no ISO string);
 *   <li>{@code achievements}: no element may be a symbol ({@code {achievements: {$not: {$type:
 *       "symbol"}}}}). With the values equal element by element, that is every change of type that
 *       converts differently: the elements of a migrated user are strings, numbers, ObjectIds and
 *       nulls (anything else is rejected, never written); ObjectIds and nulls have comparison
 *       brackets of their own; numbers of equal value convert to the same id whatever their type
 *       ({@code 7}, {@code NumberLong(7)}, {@code 7.0} and {@code NumberDecimal("7.00")} are all
 *       {@code "7"}); and a string's only sibling is the symbol, which is rejected. One condition
 *       whatever the size of the array: the statement stays as small as the values allow;
 *   <li>{@code _id}: read only for whether it is an ObjectId, which compares only with ObjectIds.
 * </ul>
 */
public final class WriteGuard {

  /** Built once and shared by every filter: nothing modifies a filter after it is built. */
  private static final BsonArray V2_STILL_EMPTY = v2StillEmpty();

  private static final BsonString ACHIEVEMENTS_PATH = new BsonString("$" + Fields.ACHIEVEMENTS);
  private static final BsonString V2_PATH = new BsonString("$" + Fields.ACHIEVEMENTS_V2);
  private static final BsonString CREATED_AT_PATH = new BsonString("$" + Fields.CREATED_AT);
  private static final BsonDocument CREATED_AT_MISSING =
      new BsonDocument("$exists", BsonBoolean.FALSE);

  /** No element (of an array: no element at the top level) is a symbol. */
  private static final BsonDocument NO_SYMBOL =
      new BsonDocument("$not", new BsonDocument("$type", new BsonString("symbol")));

  /** {@code {$type: alias}} of every BSON type, shared. */
  private static final Map<BsonType, BsonDocument> TYPE = new EnumMap<>(BsonType.class);

  static {
    TYPE.put(BsonType.DOUBLE, type("double"));
    TYPE.put(BsonType.STRING, type("string"));
    TYPE.put(BsonType.DOCUMENT, type("object"));
    TYPE.put(BsonType.ARRAY, type("array"));
    TYPE.put(BsonType.BINARY, type("binData"));
    TYPE.put(BsonType.UNDEFINED, type("undefined"));
    TYPE.put(BsonType.OBJECT_ID, type("objectId"));
    TYPE.put(BsonType.BOOLEAN, type("bool"));
    TYPE.put(BsonType.DATE_TIME, type("date"));
    TYPE.put(BsonType.NULL, type("null"));
    TYPE.put(BsonType.REGULAR_EXPRESSION, type("regex"));
    TYPE.put(BsonType.DB_POINTER, type("dbPointer"));
    TYPE.put(BsonType.JAVASCRIPT, type("javascript"));
    TYPE.put(BsonType.SYMBOL, type("symbol"));
    TYPE.put(BsonType.JAVASCRIPT_WITH_SCOPE, type("javascriptWithScope"));
    TYPE.put(BsonType.INT32, type("int"));
    TYPE.put(BsonType.TIMESTAMP, type("timestamp"));
    TYPE.put(BsonType.INT64, type("long"));
    TYPE.put(BsonType.DECIMAL128, type("decimal"));
    TYPE.put(BsonType.MIN_KEY, type("minKey"));
    TYPE.put(BsonType.MAX_KEY, type("maxKey"));
  }

  private WriteGuard() {}

  /** The filter that matches {@code read}'s user only while it is as it was read. */
  public static BsonDocument unchangedSince(BsonDocument read) {
    return unchangedSince(read, ShardKey.NONE);
  }

  /**
   * As above, also requiring the values of the {@code shardKey}'s fields read, which sends the
   * update to the one shard that holds the user.
   */
  public static BsonDocument unchangedSince(BsonDocument read, ShardKey shardKey) {
    BsonDocument filter = sameAsRead(read, false, shardKey);
    filter.append("$or", V2_STILL_EMPTY);
    return filter;
  }

  /**
   * The filter of a rollback: the user still has exactly the {@code achievements_v2}, {@code
   * achievements} and {@code createdAt} (or its absence) read, so a v2 the application changed
   * since, or one derived from values that changed, is never removed. No entry's {@code
   * achievementId} may be a symbol (it compares equal to the string read, and no run writes one).
   */
  public static BsonDocument migratedAsRead(BsonDocument read) {
    return migratedAsRead(read, ShardKey.NONE);
  }

  /** As above, also requiring the values of the {@code shardKey}'s fields read. */
  public static BsonDocument migratedAsRead(BsonDocument read, ShardKey shardKey) {
    BsonDocument filter = sameAsRead(read, true, shardKey);
    filter.append(Fields.ACHIEVEMENTS_V2 + "." + Conversion.ACHIEVEMENT_ID, NO_SYMBOL);
    return filter;
  }

  /**
   * {@code _id} and the shard key's fields, then the same values of {@code achievements_v2} (if
   * {@code withV2}), {@code achievements}, and of {@code createdAt} or its absence, then the types
   * that matter.
   */
  private static BsonDocument sameAsRead(BsonDocument read, boolean withV2, ShardKey shardKey) {
    BsonArray sameValues = new BsonArray(new ArrayList<>(3));
    if (withV2) {
      sameValues.add(sameValue(V2_PATH, read.get(Fields.ACHIEVEMENTS_V2)));
    }
    BsonValue achievements = read.get(Fields.ACHIEVEMENTS);
    sameValues.add(sameValue(ACHIEVEMENTS_PATH, achievements));
    BsonValue createdAt = read.get(Fields.CREATED_AT);
    if (createdAt != null) {
      sameValues.add(sameValue(CREATED_AT_PATH, createdAt));
    }
    BsonDocument filter = new BsonDocument(Fields.ID, read.get(Fields.ID));
    shardKey.addTo(filter, read);
    filter.append("$expr", new BsonDocument("$and", sameValues));
    BsonDocument types =
        new BsonDocument(
                Fields.CREATED_AT,
                createdAtCondition(createdAt == null ? null : createdAt.getBsonType()))
            .append(Fields.ACHIEVEMENTS, NO_SYMBOL);
    if (types.keySet().stream().anyMatch(filter::containsKey)) {
      // a shard key on createdAt: its equality stays where mongos looks for it, the type apart
      BsonArray each = new BsonArray();
      types.forEach((name, condition) -> each.add(new BsonDocument(name, condition)));
      filter.append("$and", each);
    } else {
      filter.putAll(types);
    }
    return filter;
  }

  /** The condition on {@code createdAt} when it was read of {@code type} (null: missing). */
  static BsonDocument createdAtCondition(BsonType type) {
    return type == null ? CREATED_AT_MISSING : TYPE.get(type);
  }

  /** The condition on {@code achievements} beside its value: no element is a symbol. */
  static BsonDocument noSymbol() {
    return NO_SYMBOL;
  }

  /** The condition that {@code achievements_v2} is still missing, null or empty. */
  static BsonArray stillEmpty() {
    return V2_STILL_EMPTY;
  }

  private static BsonDocument type(String alias) {
    return new BsonDocument("$type", new BsonString(alias));
  }

  private static BsonDocument sameValue(BsonString path, BsonValue value) {
    BsonArray operands = new BsonArray(new ArrayList<>(2));
    operands.add(path);
    operands.add(new BsonDocument("$literal", value));
    return new BsonDocument("$eq", operands);
  }

  /**
   * {@code achievements_v2} missing, null or the empty array, exactly: {@code {field: null}} alone
   * would also match {@code [null]}.
   */
  static BsonArray v2StillEmpty() {
    String v2 = Fields.ACHIEVEMENTS_V2;
    BsonArray alternatives = new BsonArray();
    alternatives.add(new BsonDocument(v2, new BsonDocument("$exists", BsonBoolean.FALSE)));
    alternatives.add(
        new BsonDocument(
            "$and",
            new BsonArray(
                List.of(
                    new BsonDocument(v2, BsonNull.VALUE),
                    new BsonDocument(
                        v2,
                        new BsonDocument(
                            "$not", new BsonDocument("$type", new BsonString("array"))))))));
    alternatives.add(new BsonDocument(v2, new BsonDocument("$size", new BsonInt32(0))));
    return alternatives;
  }
}
