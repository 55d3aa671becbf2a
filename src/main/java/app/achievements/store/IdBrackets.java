package app.achievements.store;

import app.achievements.rules.Fields;
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
    return new BsonDocument(Fields.ID, new BsonDocument("$type", aliases(BRACKETS.get(index))));
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

  private static BsonArray aliases(List<String> bracket) {
    BsonArray array = new BsonArray();
    bracket.forEach(alias -> array.add(new BsonString(alias)));
    return array;
  }
}
