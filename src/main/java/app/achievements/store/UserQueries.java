package app.achievements.store;

import app.achievements.rules.Eligibility;
import app.achievements.rules.Fields;
import com.mongodb.client.model.Filters;
import java.util.List;
import org.bson.conversions.Bson;

/** What the store asks the server for: the candidate users, and the fields of each it reads. */
public final class UserQueries {

  private UserQueries() {}

  /**
   * A superset of the eligible users. MongoDB matches arrays element by element, so {@code
   * {achievements_v2: null}} also matches {@code [null]} and {@code {$nin: [null, []]}} would skip
   * arrays that contain a null: this filter never excludes an eligible user, and {@link
   * Eligibility#isEligible} decides.
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

  /** The fields a conversion reads, and the username for the report: for projections. */
  public static List<String> fieldsRead() {
    return List.of(Fields.ACHIEVEMENTS, Fields.ACHIEVEMENTS_V2, Fields.CREATED_AT, Fields.USERNAME);
  }
}
