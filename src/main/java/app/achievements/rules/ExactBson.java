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
    // in step, not by index: a raw array finds its i-th element by walking from the start
    Iterator<BsonValue> other = b.iterator();
    for (BsonValue element : a) {
      if (!same(element, other.next())) {
        return false;
      }
    }
    return true;
  }
}
