package app.achievements.rules;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonValue;

/**
 * Checks one user against SPEC.md, as verify and rollback need it: pure, like {@link Conversion}. A
 * user with {@code achievements_v2} must carry exactly what the migration derives from its current
 * {@code achievements} and {@code createdAt}, byte for byte; where the run-start fallback applied,
 * its one {@code unlockedAt} must be the recorded start instant of a real run. A value that no run
 * of the tool could have written is a mismatch: verify fails on it, rollback keeps it.
 */
public final class Verification {

  /** A finding, and for a mismatch or a reject, why. */
  public record Check(Finding finding, String reason) {}

  private Verification() {}

  /**
   * Checks {@code user}; {@code runStarts} are the start instants recorded by real runs (the
   * history's, {@code MongoRunJournal.recordedRunStarts}), the only instants accepted where the
   * fallback applied.
   */
  public static Check check(BsonDocument user, Set<Instant> runStarts) {
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
    // The conversion reads achievements, createdAt and _id, never achievements_v2. Where the
    // run-start fallback applies, derive with the instant the user carries, then ask whether a
    // real run started then.
    Instant carried = firstUnlockedAt(v2);
    ConversionResult derived = Conversion.convert(user, carried);
    if (derived instanceof ConversionResult.Reject reject) {
      return new Check(Finding.MISMATCH, "ACHIEVEMENTS_NOW_" + reject.reason().name());
    }
    ConversionResult.Migrate migrate = (ConversionResult.Migrate) derived;
    if (!v2.isArray()) {
      return new Check(Finding.MISMATCH, "V2_NOT_AN_ARRAY");
    }
    if (!migrate.ids().equals(ids(v2.asArray()))) {
      return new Check(Finding.MISMATCH, "IDS_DIFFER");
    }
    if (!ExactBson.same(v2, migrate.achievementsV2())) {
      return new Check(Finding.MISMATCH, "UNLOCKED_AT_DIFFERS");
    }
    if (migrate.notes().contains(Note.UNLOCKED_AT_FROM_RUN_START) && !runStarts.contains(carried)) {
      return new Check(Finding.MISMATCH, "UNLOCKED_AT_NOT_A_RUN_START");
    }
    return new Check(Finding.MIGRATED, null);
  }

  /** The first entry's {@code unlockedAt}, if it is a date; else an instant that matches none. */
  private static Instant firstUnlockedAt(BsonValue v2) {
    if (v2.isArray() && !v2.asArray().isEmpty() && v2.asArray().get(0).isDocument()) {
      BsonValue unlockedAt = v2.asArray().get(0).asDocument().get(Conversion.UNLOCKED_AT);
      if (unlockedAt != null && unlockedAt.isDateTime()) {
        return Instant.ofEpochMilli(unlockedAt.asDateTime().getValue());
      }
    }
    return Instant.EPOCH;
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
}
