package app.achievements.migration;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 * treats them differently. So the filter also requires the same BSON type: {@code createdAt}'s
 * {@code $type}, and the {@code $type} of every element of {@code achievements} whose bracket holds
 * several types (the numbers; strings and symbols), by position ({@code achievements.3}): with the
 * values equal element by element, every element then has the type read. (Null and ObjectId
 * elements, and an ObjectId {@code _id}, have brackets of their own. {@code _id} is otherwise read
 * only for whether it is an ObjectId.)
 */
final class WriteGuard {

  /** Built once and shared by every filter: nothing modifies a filter after it is built. */
  private static final BsonArray V2_STILL_EMPTY = v2StillEmpty();

  private static final BsonString ACHIEVEMENTS_PATH = new BsonString("$" + Fields.ACHIEVEMENTS);
  private static final BsonString V2_PATH = new BsonString("$" + Fields.ACHIEVEMENTS_V2);
  private static final BsonString CREATED_AT_PATH = new BsonString("$" + Fields.CREATED_AT);
  private static final BsonDocument CREATED_AT_MISSING =
      new BsonDocument("$exists", BsonBoolean.FALSE);
  private static final BsonDocument STRING_TYPE =
      new BsonDocument("$type", new BsonString("string"));

  /** {@code {$type: alias}} of every BSON type, shared. */
  private static final Map<BsonType, BsonDocument> TYPE = new EnumMap<>(BsonType.class);

  static {
    TYPE.put(BsonType.DOUBLE, type("double"));
    TYPE.put(BsonType.STRING, STRING_TYPE);
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

  /** The element types whose comparison bracket holds other types too. */
  private static final Set<BsonType> SHARED_BRACKET =
      EnumSet.of(
          BsonType.INT32,
          BsonType.INT64,
          BsonType.DOUBLE,
          BsonType.DECIMAL128,
          BsonType.STRING,
          BsonType.SYMBOL);

  private WriteGuard() {}

  /** The filter that matches {@code read}'s user only while it is as it was read. */
  static BsonDocument unchangedSince(BsonDocument read) {
    BsonDocument filter = sameAsRead(read, false);
    filter.append("$or", V2_STILL_EMPTY);
    return filter;
  }

  /**
   * The filter of a rollback: the user still has exactly the {@code achievements_v2}, {@code
   * achievements} and {@code createdAt} (or its absence) read, so a v2 the application changed
   * since, or one derived from values that changed, is never removed. The entries' {@code
   * achievementId}s must still be strings (a symbol of the same text compares equal).
   */
  static BsonDocument migratedAsRead(BsonDocument read) {
    BsonDocument filter = sameAsRead(read, true);
    BsonArray v2 = read.getArray(Fields.ACHIEVEMENTS_V2);
    for (int i = 0; i < v2.size(); i++) {
      filter.append(
          Fields.ACHIEVEMENTS_V2 + "." + i + "." + Conversion.ACHIEVEMENT_ID, STRING_TYPE);
    }
    return filter;
  }

  /**
   * {@code _id}, then the same values of {@code achievements_v2} (if {@code withV2}), {@code
   * achievements}, and of {@code createdAt} or its absence, then their types.
   */
  private static BsonDocument sameAsRead(BsonDocument read, boolean withV2) {
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
    filter.append("$expr", new BsonDocument("$and", sameValues));
    filter.append(
        Fields.CREATED_AT,
        createdAt == null ? CREATED_AT_MISSING : TYPE.get(createdAt.getBsonType()));
    if (achievements.isArray()) {
      BsonArray elements = achievements.asArray();
      for (int i = 0; i < elements.size(); i++) {
        BsonType type = elements.get(i).getBsonType();
        if (SHARED_BRACKET.contains(type)) {
          filter.append(Fields.ACHIEVEMENTS + "." + i, TYPE.get(type));
        }
      }
    }
    return filter;
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
