package app.achievements.migration;

import java.util.ArrayList;
import java.util.List;
import org.bson.BsonArray;
import org.bson.BsonBoolean;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonNull;
import org.bson.BsonString;
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
 */
final class WriteGuard {

  /** Built once and shared by every filter: nothing modifies a filter after it is built. */
  private static final BsonArray V2_STILL_EMPTY = v2StillEmpty();

  private static final BsonString ACHIEVEMENTS_PATH = new BsonString("$" + Fields.ACHIEVEMENTS);
  private static final BsonString V2_PATH = new BsonString("$" + Fields.ACHIEVEMENTS_V2);
  private static final BsonString CREATED_AT_PATH = new BsonString("$" + Fields.CREATED_AT);
  private static final BsonDocument CREATED_AT_MISSING =
      new BsonDocument("$exists", BsonBoolean.FALSE);

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
   * since, or one derived from values that changed, is never removed.
   */
  static BsonDocument migratedAsRead(BsonDocument read) {
    return sameAsRead(read, true);
  }

  /**
   * {@code _id}, then the same values of {@code achievements_v2} (if {@code withV2}), {@code
   * achievements}, and of {@code createdAt} or its absence.
   */
  private static BsonDocument sameAsRead(BsonDocument read, boolean withV2) {
    BsonArray sameValues = new BsonArray(new ArrayList<>(3));
    if (withV2) {
      sameValues.add(sameValue(V2_PATH, read.get(Fields.ACHIEVEMENTS_V2)));
    }
    sameValues.add(sameValue(ACHIEVEMENTS_PATH, read.get(Fields.ACHIEVEMENTS)));
    BsonValue createdAt = read.get(Fields.CREATED_AT);
    if (createdAt != null) {
      sameValues.add(sameValue(CREATED_AT_PATH, createdAt));
    }
    BsonDocument filter = new BsonDocument(Fields.ID, read.get(Fields.ID));
    filter.append("$expr", new BsonDocument("$and", sameValues));
    if (createdAt == null) {
      filter.append(Fields.CREATED_AT, CREATED_AT_MISSING);
    }
    return filter;
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
