package app.achievements.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Optional;
import org.bson.BsonBoolean;
import org.bson.BsonDateTime;
import org.bson.BsonDecimal128;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonNull;
import org.bson.BsonString;
import org.bson.types.Decimal128;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CreatedAtTest {

  @ParameterizedTest(name = "\"{0}\" is {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "2022-03-04|2022-03-04T00:00:00Z",
        "2022-03-04T05:06|2022-03-04T05:06:00Z",
        "2022-03-04 05:06|2022-03-04T05:06:00Z",
        "2022-03-04T05:06:07|2022-03-04T05:06:07Z",
        "2022-03-04T05:06:07Z|2022-03-04T05:06:07Z",
        "2022-03-04T05:06:07.1|2022-03-04T05:06:07.100Z",
        "2022-03-04T05:06:07.123456789Z|2022-03-04T05:06:07.123Z",
        "2022-03-04T05:06:07.999999999Z|2022-03-04T05:06:07.999Z",
        "2022-03-04T05:06:07+02:00|2022-03-04T03:06:07Z",
        "2022-03-04T05:06:07+0200|2022-03-04T03:06:07Z",
        "2022-03-04T05:06:07+02|2022-03-04T03:06:07Z",
        "2022-03-04T05:06:07-05:30|2022-03-04T10:36:07Z",
        "2022-03-04T05:06Z|2022-03-04T05:06:00Z",
        "2024-02-29T23:59:59|2024-02-29T23:59:59Z",
        "0001-01-01T00:00:00Z|0001-01-01T00:00:00Z",
        "9999-12-31T23:59:59.999Z|9999-12-31T23:59:59.999Z",
        "0001-01-01T00:30:00+00:30|0001-01-01T00:00:00Z",
      })
  void parsesTheIsoSubset(String text, String expected) {
    assertThat(CreatedAt.parseIso(text)).contains(Instant.parse(expected));
  }

  @Test
  void ignoresSurroundingWhiteSpace() {
    assertThat(CreatedAt.parseIso(" \t2022-03-04T05:06:07Z\n\u00a0"))
        .contains(Instant.parse("2022-03-04T05:06:07Z"));
  }

  @ParameterizedTest(name = "\"{0}\" is unparseable")
  @ValueSource(
      strings = {
        "",
        "   ",
        "yesterday",
        "2022-13-01",
        "2022-00-10",
        "2022-02-30",
        "2023-02-29",
        "2022-03-04T24:00",
        "2022-03-04T23:60",
        "2022-03-04T23:59:60",
        "2022-03-04T05",
        "2022-03-04T05:06:07.",
        "2022-03-04T05:06:07.1234567890",
        "2022-03-04T05:06:07+2",
        "2022-03-04T05:06:07+02:0",
        "2022-03-04T05:06:07+02:60",
        "2022-03-04T05:06:07+19:00",
        "2022-03-04T05:06:07 Z",
        "2022-03-04Z",
        "2022-03-04  05:06",
        "2022-03-04t05:06",
        "2022-3-4",
        "22-03-04",
        "+2022-03-04",
        "2022-03-04T05:06:07ZZ",
        "0000-12-31T23:59:59Z",
        "0001-01-01T00:00:00+00:01",
        "9999-12-31T23:59:59-00:01",
        "2022-03-04T05:06:07 +02:00",
        "٢٠٢٢-03-04",
      })
  void rejectsEverythingElse(String text) {
    assertThat(CreatedAt.parseIso(text)).isEmpty();
  }

  @Test
  void readsEachTypeWithItsNote() {
    assertThat(CreatedAt.read(new BsonDateTime(5)))
        .isEqualTo(new CreatedAt.Reading(Optional.of(Instant.ofEpochMilli(5)), null));
    assertThat(CreatedAt.read(null)).isEqualTo(missing());
    assertThat(CreatedAt.read(BsonNull.VALUE)).isEqualTo(missing());
    assertThat(CreatedAt.read(new BsonString("nope"))).isEqualTo(invalid());
    assertThat(CreatedAt.read(BsonBoolean.TRUE)).isEqualTo(invalid());
    assertThat(CreatedAt.read(new BsonDocument())).isEqualTo(invalid());
    assertThat(CreatedAt.read(new BsonDecimal128(Decimal128.parse("1600000000"))))
        .isEqualTo(invalid());
  }

  @Test
  void numbersBelowOneHundredBillionAreEpochSeconds() {
    assertThat(CreatedAt.read(new BsonInt32(1_600_000_000)))
        .isEqualTo(seconds(Instant.ofEpochSecond(1_600_000_000L)));
    assertThat(CreatedAt.read(new BsonInt64(99_999_999_999L)))
        .isEqualTo(seconds(Instant.ofEpochSecond(99_999_999_999L)));
    assertThat(CreatedAt.read(new BsonInt64(-1_000_000_000L)))
        .isEqualTo(seconds(Instant.ofEpochSecond(-1_000_000_000L)));
    assertThat(CreatedAt.read(new BsonInt64(-99_999_999_999L)))
        .as("year -1199")
        .isEqualTo(invalid());
    assertThat(CreatedAt.read(new BsonInt32(0))).isEqualTo(seconds(Instant.EPOCH));
    assertThat(CreatedAt.read(new BsonDouble(1_600_000_000.123)))
        .isEqualTo(seconds(Instant.ofEpochMilli(1_600_000_000_123L)));
    assertThat(CreatedAt.read(new BsonDouble(1_600_000_000.1239)))
        .isEqualTo(seconds(Instant.ofEpochMilli(1_600_000_000_123L)));
  }

  @Test
  void numbersFromOneHundredBillionAreEpochMillis() {
    assertThat(CreatedAt.read(new BsonInt64(100_000_000_000L)))
        .isEqualTo(millis(Instant.ofEpochMilli(100_000_000_000L)));
    assertThat(CreatedAt.read(new BsonInt64(-100_000_000_000L)))
        .isEqualTo(millis(Instant.ofEpochMilli(-100_000_000_000L)));
    assertThat(CreatedAt.read(new BsonDouble(1_600_000_000_123.9)))
        .isEqualTo(millis(Instant.ofEpochMilli(1_600_000_000_123L)));
  }

  @Test
  void numbersOutsideTheYearsOneTo9999AreInvalid() {
    assertThat(CreatedAt.read(new BsonInt64(Long.MAX_VALUE))).isEqualTo(invalid());
    assertThat(CreatedAt.read(new BsonInt64(Long.MIN_VALUE))).isEqualTo(invalid());
    assertThat(CreatedAt.read(new BsonInt64(253_402_300_800_000L))).isEqualTo(invalid());
    assertThat(CreatedAt.read(new BsonInt64(253_402_300_799_999L)))
        .isEqualTo(millis(Instant.parse("9999-12-31T23:59:59.999Z")));
    assertThat(CreatedAt.read(new BsonInt64(-62_135_596_800_001L))).isEqualTo(invalid());
    assertThat(CreatedAt.read(new BsonDouble(Double.NaN))).isEqualTo(invalid());
    assertThat(CreatedAt.read(new BsonDouble(Double.POSITIVE_INFINITY))).isEqualTo(invalid());
    assertThat(CreatedAt.read(new BsonDouble(1e300))).isEqualTo(invalid());
  }

  private static CreatedAt.Reading missing() {
    return new CreatedAt.Reading(Optional.empty(), Note.CREATED_AT_MISSING);
  }

  private static CreatedAt.Reading invalid() {
    return new CreatedAt.Reading(Optional.empty(), Note.CREATED_AT_INVALID);
  }

  private static CreatedAt.Reading seconds(Instant instant) {
    return new CreatedAt.Reading(Optional.of(instant), Note.CREATED_AT_FROM_EPOCH_SECONDS);
  }

  private static CreatedAt.Reading millis(Instant instant) {
    return new CreatedAt.Reading(Optional.of(instant), Note.CREATED_AT_FROM_EPOCH_MILLIS);
  }
}
