package app.achievements.migration;

import com.mongodb.client.model.Filters;
import java.util.List;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.bson.conversions.Bson;

/**
 * Which users the migration is for. The rule is about BSON types and is applied to every document
 * read; the query only narrows the scan to a superset that is exact about arrays.
 */
public final class Eligibility {

  private Eligibility() {}

  /**
   * A superset of the eligible users. MongoDB matches arrays element by element, so {@code
   * {achievements_v2: null}} also matches {@code [null]} and {@code {$nin: [null, []]}} would skip
   * arrays that contain a null: this filter never excludes an eligible user, and {@link
   * #isEligible} decides.
   */
  public static Bson candidateFilter() {
    return Filters.and(
        Filters.exists(Fields.ACHIEVEMENTS),
        Filters.not(Filters.size(Fields.ACHIEVEMENTS, 0)),
        Filters.or(
            Filters.exists(Fields.ACHIEVEMENTS_V2, false),
            Filters.eq(Fields.ACHIEVEMENTS_V2, null),
            Filters.size(Fields.ACHIEVEMENTS_V2, 0)));
  }

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

  /** The fields a conversion reads, and the username for the report: for projections. */
  static List<String> fieldsRead() {
    return List.of(Fields.ACHIEVEMENTS, Fields.ACHIEVEMENTS_V2, Fields.CREATED_AT, Fields.USERNAME);
  }
}
