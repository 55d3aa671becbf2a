package app.achievements.rules;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bson.BsonValue;

/**
 * Reads a user's {@code createdAt} as an instant, by the rules of SPEC.md. Pure: no clock, no
 * fallback; {@link Conversion} decides what happens when there is no instant.
 */
final class CreatedAt {

  /** Absolute values below this are epoch seconds, the rest epoch milliseconds. */
  static final long EPOCH_SECONDS_LIMIT = 100_000_000_000L;

  static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
  static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999Z");

  private static final Pattern ISO =
      Pattern.compile(
          "([0-9]{4})-([0-9]{2})-([0-9]{2})"
              + "(?:[T ]([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:\\.([0-9]{1,9}))?)?"
              + "(Z|[+-][0-9]{2}(?::?[0-9]{2})?)?)?");

  /** The instant read from {@code createdAt}, and the note that says how it was read. */
  record Reading(Optional<Instant> instant, Note note) {}

  private CreatedAt() {}

  /** Reads {@code value}, which is {@code null} when the field is missing. */
  static Reading read(BsonValue value) {
    if (value == null || value.isNull()) {
      return new Reading(Optional.empty(), Note.CREATED_AT_MISSING);
    }
    switch (value.getBsonType()) {
      case DATE_TIME:
        return new Reading(Optional.of(Instant.ofEpochMilli(value.asDateTime().getValue())), null);
      case STRING:
        return parseIso(value.asString().getValue())
            .map(instant -> new Reading(Optional.of(instant), Note.CREATED_AT_FROM_STRING))
            .orElseGet(CreatedAt::invalid);
      case INT32:
        return fromEpochNumber(BigDecimal.valueOf(value.asInt32().getValue()));
      case INT64:
        return fromEpochNumber(BigDecimal.valueOf(value.asInt64().getValue()));
      case DOUBLE:
        double d = value.asDouble().getValue();
        return Double.isFinite(d) ? fromEpochNumber(BigDecimal.valueOf(d)) : invalid();
      default:
        return invalid();
    }
  }

  private static Reading invalid() {
    return new Reading(Optional.empty(), Note.CREATED_AT_INVALID);
  }

  private static Reading fromEpochNumber(BigDecimal number) {
    boolean seconds = number.abs().compareTo(BigDecimal.valueOf(EPOCH_SECONDS_LIMIT)) < 0;
    BigDecimal millis = seconds ? number.movePointRight(3) : number;
    // Millisecond precision: a fraction of a millisecond is cut towards the past, like the
    // fraction of an ISO string.
    Optional<Instant> instant =
        inRange(millis.setScale(0, RoundingMode.FLOOR))
            .map(ms -> Instant.ofEpochMilli(ms.longValueExact()));
    if (instant.isEmpty()) {
      return invalid();
    }
    return new Reading(
        instant, seconds ? Note.CREATED_AT_FROM_EPOCH_SECONDS : Note.CREATED_AT_FROM_EPOCH_MILLIS);
  }

  private static Optional<BigDecimal> inRange(BigDecimal epochMillis) {
    boolean inside =
        epochMillis.compareTo(BigDecimal.valueOf(EARLIEST.toEpochMilli())) >= 0
            && epochMillis.compareTo(BigDecimal.valueOf(LATEST.toEpochMilli())) <= 0;
    return inside ? Optional.of(epochMillis) : Optional.empty();
  }

  /**
   * Parses the ISO-8601 subset of SPEC.md: {@code YYYY-MM-DD}, optionally followed by {@code T} or
   * one space, {@code HH:MM}, optional {@code :SS}, optional fraction of 1 to 9 digits (truncated
   * to the millisecond), optional zone {@code Z}, {@code ±HH:MM}, {@code ±HHMM} or {@code ±HH}; no
   * zone means UTC. Surrounding white space is ignored. Impossible dates and times, and instants
   * outside the years 0001 to 9999, are unparseable.
   */
  static Optional<Instant> parseIso(String text) {
    Matcher m = ISO.matcher(Text.stripWhiteSpace(text));
    if (!m.matches()) {
      return Optional.empty();
    }
    try {
      LocalDate date =
          LocalDate.of(
              Integer.parseInt(m.group(1)),
              Integer.parseInt(m.group(2)),
              Integer.parseInt(m.group(3)));
      LocalTime time = LocalTime.MIDNIGHT;
      if (m.group(4) != null) {
        int nanos =
            m.group(7) == null ? 0 : Integer.parseInt((m.group(7) + "00000000").substring(0, 9));
        time =
            LocalTime.of(
                Integer.parseInt(m.group(4)),
                Integer.parseInt(m.group(5)),
                m.group(6) == null ? 0 : Integer.parseInt(m.group(6)),
                nanos - nanos % 1_000_000);
      }
      ZoneOffset offset = m.group(8) == null ? ZoneOffset.UTC : offset(m.group(8));
      Instant instant = date.atTime(time).toInstant(offset);
      if (instant.isBefore(EARLIEST) || instant.isAfter(LATEST)) {
        return Optional.empty();
      }
      return Optional.of(instant);
    } catch (DateTimeException e) {
      return Optional.empty();
    }
  }

  private static ZoneOffset offset(String zone) {
    if (zone.equals("Z")) {
      return ZoneOffset.UTC;
    }
    int sign = zone.charAt(0) == '-' ? -1 : 1;
    String digits = zone.substring(1).replace(":", "");
    int hours = Integer.parseInt(digits.substring(0, 2));
    int minutes = digits.length() > 2 ? Integer.parseInt(digits.substring(2)) : 0;
    if (minutes > 59) {
      throw new DateTimeException("offset minutes out of range: " + zone);
    }
    return ZoneOffset.ofHoursMinutes(sign * hours, sign * minutes);
  }
}
