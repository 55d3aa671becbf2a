package app.achievements.rules;

import org.bson.BsonDocument;
import org.bson.BsonValue;

/**
 * Which users the migration is for. The rule is about BSON types and is applied to every document
 * read; the query ({@code UserQueries} in the store) only narrows the scan to a superset that is
 * exact about arrays.
 */
public final class Eligibility {

  private Eligibility() {}

  /**
   * The rule: {@code achievements} is present, not null and not the empty array, and {@code
   * achievements_v2} is missing, null or the empty array.
   */
  public static boolean isEligible(BsonDocument user) {
    BsonValue achievements = user.get(Fields.ACHIEVEMENTS);
    boolean hasLegacy =
        achievements != null && !achievements.isNull() && !isEmptyArray(achievements);
    BsonValue v2 = user.get(Fields.ACHIEVEMENTS_V2);
    boolean lacksV2 = v2 == null || v2.isNull() || isEmptyArray(v2);
    return hasLegacy && lacksV2;
  }

  private static boolean isEmptyArray(BsonValue value) {
    return value.isArray() && value.asArray().isEmpty();
  }
}
