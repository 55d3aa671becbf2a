package app.achievements.migration;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonValue;

/**
 * Checks one user against SPEC.md, as verify and rollback need it: pure, like {@link Conversion}. A
 * user with {@code achievements_v2} must carry exactly what the migration derives from its current
 * {@code achievements} and {@code createdAt}; where the run-start fallback applied, any single
 * instant shared by every entry will do, since the run's start is not recorded in the user.
 */
public final class Verification {

  /** A finding, and for a mismatch or a reject, why. */
  public record Check(Finding finding, String reason) {}

  private Verification() {}

  public static Check check(BsonDocument user) {
    BsonValue v2 = user.get(Fields.ACHIEVEMENTS_V2);
    boolean hasV2 = v2 != null && !v2.isNull() && !(v2.isArray() && v2.asArray().isEmpty());
    if (!hasV2) {
      if (!Eligibility.isEligible(user)) {
        return new Check(Finding.NOT_APPLICABLE, null);
      }
      ConversionResult result = Conversion.convert(user, Instant.EPOCH);
      return result instanceof ConversionResult.Reject reject
          ? new Check(Finding.REJECTED, reject.reason().name())
          : new Check(Finding.STILL_ELIGIBLE, null);
    }
    BsonValue legacy = user.get(Fields.ACHIEVEMENTS);
    if (legacy == null || legacy.isNull() || (legacy.isArray() && legacy.asArray().isEmpty())) {
      return new Check(Finding.V2_WITHOUT_LEGACY, null);
    }
    BsonDocument unmigrated = user.clone();
    unmigrated.remove(Fields.ACHIEVEMENTS_V2);
    ConversionResult derived = Conversion.convert(unmigrated, Instant.EPOCH);
    if (derived instanceof ConversionResult.Reject reject) {
      return new Check(Finding.MISMATCH, "ACHIEVEMENTS_NOW_" + reject.reason().name());
    }
    ConversionResult.Migrate migrate = (ConversionResult.Migrate) derived;
    if (!v2.isArray()) {
      return new Check(Finding.MISMATCH, "V2_NOT_AN_ARRAY");
    }
    if (!ids(migrate.achievementsV2()).equals(ids(v2.asArray()))) {
      return new Check(Finding.MISMATCH, "IDS_DIFFER");
    }
    if (!migrate.notes().contains(Note.UNLOCKED_AT_FROM_RUN_START)) {
      return v2.equals(migrate.achievementsV2())
          ? new Check(Finding.MIGRATED, null)
          : new Check(Finding.MISMATCH, "UNLOCKED_AT_DIFFERS");
    }
    return oneInstantInMigrationShape(v2.asArray())
        ? new Check(Finding.MIGRATED, null)
        : new Check(Finding.MISMATCH, "UNLOCKED_AT_DIFFERS");
  }

  /** The achievementIds, in order; null for an element that is not the migration's shape. */
  private static List<String> ids(BsonArray v2) {
    List<String> ids = new ArrayList<>();
    for (BsonValue element : v2) {
      BsonValue id =
          element.isDocument() ? element.asDocument().get(Conversion.ACHIEVEMENT_ID) : null;
      ids.add(id != null && id.isString() ? id.asString().getValue() : null);
    }
    return ids;
  }

  private static boolean oneInstantInMigrationShape(BsonArray v2) {
    BsonValue first = null;
    for (BsonValue element : v2) {
      BsonDocument entry = element.asDocument();
      BsonValue unlockedAt = entry.get(Conversion.UNLOCKED_AT);
      if (entry.size() != 2 || unlockedAt == null || !unlockedAt.isDateTime()) {
        return false;
      }
      if (first == null) {
        first = unlockedAt;
      } else if (!first.equals(unlockedAt)) {
        return false;
      }
    }
    return true;
  }
}
