package app.achievements.rules;

import app.achievements.rules.ConversionResult.Migrate;
import app.achievements.rules.ConversionResult.Reject;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.bson.BsonDateTime;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.bson.types.Decimal128;

/**
 * The conversion of one eligible user, as SPEC.md defines it: a pure function of the document read
 * and the run's start instant. No driver calls, no clock, no I/O.
 */
public final class Conversion {

  public static final String ACHIEVEMENT_ID = "achievementId";
  public static final String UNLOCKED_AT = "unlockedAt";

  private Conversion() {}

  /**
   * Converts {@code user}, which must be eligible ({@link Eligibility#isEligible}). {@code
   * runStart} is the last fallback for {@code unlockedAt}: one instant for the whole run.
   */
  public static ConversionResult convert(BsonDocument user, Instant runStart) {
    Objects.requireNonNull(runStart, "runStart");
    BsonValue achievements = user.get(Fields.ACHIEVEMENTS);
    if (achievements == null || !achievements.isArray()) {
      return new Reject(RejectReason.ACHIEVEMENTS_NOT_ARRAY);
    }
    Set<Note> notes = EnumSet.noneOf(Note.class);
    Set<String> ids = new LinkedHashSet<>();
    for (BsonValue element : achievements.asArray()) {
      if (element.isNull()) {
        notes.add(Note.NULLS_DROPPED);
        continue;
      }
      IdOrReject id = achievementId(element);
      if (id.reason() != null) {
        return new Reject(id.reason());
      }
      if (!ids.add(id.id())) {
        notes.add(Note.DUPLICATES_DROPPED);
      }
    }
    if (ids.isEmpty()) {
      return new Reject(RejectReason.NO_VALID_IDS);
    }

    BsonDateTime unlockedAt = new BsonDateTime(unlockedAt(user, runStart, notes).toEpochMilli());
    return new Migrate(List.copyOf(ids), unlockedAt, notes);
  }

  private static Instant unlockedAt(BsonDocument user, Instant runStart, Set<Note> notes) {
    CreatedAt.Reading createdAt = CreatedAt.read(user.get(Fields.CREATED_AT));
    if (createdAt.note() != null) {
      notes.add(createdAt.note());
    }
    if (createdAt.instant().isPresent()) {
      return createdAt.instant().get();
    }
    BsonValue id = user.get(Fields.ID);
    if (id != null && id.isObjectId()) {
      notes.add(Note.UNLOCKED_AT_FROM_OBJECT_ID);
      return id.asObjectId().getValue().getDate().toInstant();
    }
    notes.add(Note.UNLOCKED_AT_FROM_RUN_START);
    return runStart;
  }

  /** One element's achievementId, or the reason it has none. */
  private record IdOrReject(String id, RejectReason reason) {
    static IdOrReject id(String id) {
      return new IdOrReject(id, null);
    }

    static IdOrReject reject(RejectReason reason) {
      return new IdOrReject(null, reason);
    }
  }

  private static IdOrReject achievementId(BsonValue element) {
    switch (element.getBsonType()) {
      case STRING:
        String s = element.asString().getValue();
        return Text.isBlank(s) ? IdOrReject.reject(RejectReason.BLANK_ID) : IdOrReject.id(s);
      case INT32:
        return IdOrReject.id(Integer.toString(element.asInt32().getValue()));
      case INT64:
        return IdOrReject.id(Long.toString(element.asInt64().getValue()));
      case DOUBLE:
        double d = element.asDouble().getValue();
        return Double.isFinite(d) ? integral(new BigDecimal(d)) : nonIntegral();
      case DECIMAL128:
        return decimal(element.asDecimal128().getValue());
      case OBJECT_ID:
        return IdOrReject.id(element.asObjectId().getValue().toHexString());
      default:
        return IdOrReject.reject(RejectReason.UNSUPPORTED_ELEMENT);
    }
  }

  private static IdOrReject decimal(Decimal128 value) {
    if (value.isNaN() || value.isInfinite()) {
      return nonIntegral();
    }
    BigDecimal number;
    try {
      number = value.bigDecimalValue();
    } catch (ArithmeticException negativeZero) {
      number = BigDecimal.ZERO; // -0 and -0.00: BigDecimal has no negative zero
    }
    return integral(number);
  }

  private static IdOrReject integral(BigDecimal number) {
    Optional<String> digits =
        number.signum() == 0
            ? Optional.of("0")
            : number.stripTrailingZeros().scale() <= 0
                ? Optional.of(number.toBigIntegerExact().toString())
                : Optional.empty();
    return digits.map(IdOrReject::id).orElseGet(Conversion::nonIntegral);
  }

  private static IdOrReject nonIntegral() {
    return IdOrReject.reject(RejectReason.NON_INTEGRAL_NUMBER);
  }
}
