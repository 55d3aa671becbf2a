package app.achievements.store;

import app.achievements.rules.Fields;
import java.util.Collection;
import java.util.List;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonString;
import org.bson.BsonValue;

/**
 * The BSON type brackets of {@code _id}, in MongoDB's sort order. A query {@code {_id: {$gt: x}}}
 * only matches ids of {@code x}'s bracket (numbers with numbers, strings with strings and symbols),
 * so paging with {@code _id > last} alone would silently skip every user whose {@code _id} has
 * another type. {@link IdOrderPages} pages through one bracket at a time; each bracket's {@code
 * $type} condition has exact bounds on the {@code _id} index, so no page query scans the
 * collection, not even for the deprecated types (mongod's {@code canonicalizeBSONType}: undefined,
 * symbol with the strings, DBPointer, JavaScript, JavaScript with scope).
 */
final class IdBrackets {

  /** The brackets that an {@code _id} can be in, by {@code $type} alias, in sort order. */
  static final List<List<String>> BRACKETS =
      List.of(
          List.of("minKey"),
          List.of("undefined"),
          List.of("null"),
          List.of("double", "int", "long", "decimal"),
          List.of("string", "symbol"),
          List.of("object"),
          List.of("binData"),
          List.of("objectId"),
          List.of("bool"),
          List.of("date"),
          List.of("timestamp"),
          List.of("regex"),
          List.of("dbPointer"),
          List.of("javascript"),
          List.of("javascriptWithScope"),
          List.of("maxKey"));

  private IdBrackets() {}

  /** {@code {_id: {$type: [...]}}} for bracket {@code index}. */
  static BsonDocument inBracket(int index) {
    return inBrackets(List.of(index));
  }

  /**
   * {@code {_id: {$type: [...]}}} for the brackets {@code indexes}: on mongod one index scan over
   * the union of their bounds, in index order (the planner's bounds for a {@code $type} of several
   * types, {@code index_bounds_builder.cpp}).
   */
  static BsonDocument inBrackets(Collection<Integer> indexes) {
    BsonArray aliases = new BsonArray();
    indexes.forEach(index -> BRACKETS.get(index).forEach(a -> aliases.add(new BsonString(a))));
    return new BsonDocument(Fields.ID, new BsonDocument("$type", aliases));
  }

  /** The bracket of {@code id}. */
  static int of(BsonValue id) {
    return switch (id.getBsonType()) {
      case MIN_KEY -> 0;
      case UNDEFINED -> 1;
      case NULL -> 2;
      case DOUBLE, INT32, INT64, DECIMAL128 -> 3;
      case STRING, SYMBOL -> 4;
      case DOCUMENT -> 5;
      case BINARY -> 6;
      case OBJECT_ID -> 7;
      case BOOLEAN -> 8;
      case DATE_TIME -> 9;
      case TIMESTAMP -> 10;
      case REGULAR_EXPRESSION -> 11;
      case DB_POINTER -> 12;
      case JAVASCRIPT -> 13;
      case JAVASCRIPT_WITH_SCOPE -> 14;
      case MAX_KEY -> 15;
      case ARRAY, END_OF_DOCUMENT ->
          throw new IllegalArgumentException("no _id is of type " + id.getBsonType());
    };
  }

  /**
   * The ids after {@code last} in its bracket: {@code {_id: {$gt: last}}}, except after NaN.
   * MongoDB sorts NaN before every other number, yet {@code $gt: NaN} matches nothing, so the
   * numbers after a NaN {@code _id} are {@code $gte: -Infinity} (there is at most one NaN {@code
   * _id}: a double NaN and a decimal NaN are the same key).
   */
  static BsonDocument after(BsonValue last) {
    boolean nan =
        (last.isDouble() && Double.isNaN(last.asDouble().getValue()))
            || (last.isDecimal128() && last.asDecimal128().getValue().isNaN());
    return new BsonDocument(
        Fields.ID,
        nan
            ? new BsonDocument("$gte", new BsonDouble(Double.NEGATIVE_INFINITY))
            : new BsonDocument("$gt", last));
  }
}
