package app.achievements.rules;

import java.util.Iterator;
import java.util.Map;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonValue;

/**
 * Whether two BSON values are the same bytes: the same type at every level, and documents with the
 * same fields in the same order. {@link BsonDocument#equals} ignores the order of fields, and what
 * the migration wrote is exactly one order.
 */
final class ExactBson {

  private ExactBson() {}

  static boolean same(BsonValue a, BsonValue b) {
    if (a == null || b == null) {
      return a == b;
    }
    if (a.getBsonType() != b.getBsonType()) {
      return false;
    }
    if (a.isDocument()) {
      return sameDocuments(a.asDocument(), b.asDocument());
    }
    if (a.isArray()) {
      return sameArrays(a.asArray(), b.asArray());
    }
    return a.equals(b);
  }

  private static boolean sameDocuments(BsonDocument a, BsonDocument b) {
    if (a.size() != b.size()) {
      return false;
    }
    Iterator<Map.Entry<String, BsonValue>> other = b.entrySet().iterator();
    for (Map.Entry<String, BsonValue> field : a.entrySet()) {
      Map.Entry<String, BsonValue> next = other.next();
      if (!field.getKey().equals(next.getKey()) || !same(field.getValue(), next.getValue())) {
        return false;
      }
    }
    return true;
  }

  private static boolean sameArrays(BsonArray a, BsonArray b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      if (!same(a.get(i), b.get(i))) {
        return false;
      }
    }
    return true;
  }
}
