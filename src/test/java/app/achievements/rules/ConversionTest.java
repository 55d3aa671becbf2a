package app.achievements.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.bson.BsonArray;
import org.bson.BsonDateTime;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The rules of SPEC.md beyond the shared vectors. */
class ConversionTest {

  private static final Instant RUN_START = Instant.parse("2026-01-02T03:04:05.678Z");

  @ParameterizedTest(name = "{0} -> \"{1}\"")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        "{'$numberDouble': '-0.0'}|0",
        "{'$numberDouble': '-3.0'}|-3",
        "{'$numberDouble': '1.0E20'}|100000000000000000000",
        "{'$numberDecimal': '7.00'}|7",
        "{'$numberDecimal': '7E+3'}|7000",
        "{'$numberDecimal': '-0.00'}|0",
        "{'$numberDecimal': '-12'}|-12",
        "{'$numberLong': '-9223372036854775808'}|-9223372036854775808",
        "{'$numberInt': '2147483647'}|2147483647",
        "{'$oid': '65A1B2C3D4E5F60718293A4B'}|65a1b2c3d4e5f60718293a4b",
        "' padded '|\" padded \"",
        "'$notAPath'|$notAPath",
        "'ü✓'|ü✓",
      })
  void convertsEachIdType(String element, String expectedId) {
    BsonValue id = BsonDocument.parse("{v: " + element + "}").get("v");
    assertThat(idsOf(convert(new BsonArray(List.of(id))))).containsExactly(expectedId);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        "[{'$numberDouble': 'NaN'}]|NON_INTEGRAL_NUMBER",
        "[{'$numberDouble': 'Infinity'}]|NON_INTEGRAL_NUMBER",
        "[{'$numberDouble': '0.1'}]|NON_INTEGRAL_NUMBER",
        "[{'$numberDecimal': '7.5'}]|NON_INTEGRAL_NUMBER",
        "[{'$numberDecimal': 'NaN'}]|NON_INTEGRAL_NUMBER",
        "[{'$numberDecimal': '-Infinity'}]|NON_INTEGRAL_NUMBER",
        "['']|BLANK_ID",
        "['\\t\\n ']|BLANK_ID",
        "['\u00a0']|BLANK_ID",
        "[[]]|UNSUPPORTED_ELEMENT",
        "[['a']]|UNSUPPORTED_ELEMENT",
        "[{'$date': '2020-01-01T00:00:00Z'}]|UNSUPPORTED_ELEMENT",
        "[{'$binary': {'base64': 'AA==', 'subType': '00'}}]|UNSUPPORTED_ELEMENT",
        "[{'$undefined': true}]|UNSUPPORTED_ELEMENT",
        "[{'$symbol': 'a'}]|UNSUPPORTED_ELEMENT",
        "[{'$minKey': 1}]|UNSUPPORTED_ELEMENT",
        "[{'$timestamp': {'t': 1, 'i': 1}}]|UNSUPPORTED_ELEMENT",
        "[{'$regularExpression': {'pattern': 'a', 'options': ''}}]|UNSUPPORTED_ELEMENT",
        "['a', '', true]|BLANK_ID",
        "['a', true, '']|UNSUPPORTED_ELEMENT",
        "[null, 1.5, {}]|NON_INTEGRAL_NUMBER",
        "[null]|NO_VALID_IDS",
      })
  void rejectsWithTheFirstProblemInOrder(String achievements, String reason) {
    BsonArray array = BsonDocument.parse("{v: " + achievements + "}").getArray("v");
    assertThat(convert(array)).isEqualTo(new ConversionResult.Reject(RejectReason.valueOf(reason)));
  }

  @Test
  void anyNonArrayIsRejectedAsNotArray() {
    for (String value : List.of("''", "0", "true", "{}", "{'$oid': '65a1b2c3d4e5f60718293a4b'}")) {
      BsonDocument user = BsonDocument.parse("{_id: 1, achievements: " + value + "}");
      assertThat(Conversion.convert(user, RUN_START))
          .as(value)
          .isEqualTo(new ConversionResult.Reject(RejectReason.ACHIEVEMENTS_NOT_ARRAY));
    }
  }

  @Test
  void dropsNullsAndDuplicatesAcrossTypesKeepingFirstOccurrence() {
    BsonArray array =
        BsonDocument.parse(
                "{v: [null, 7, 'b', {'$numberLong': '7'}, 7.0, {'$numberDecimal': '7.0'}, 'b', null]}")
            .getArray("v");
    ConversionResult.Migrate migrate = (ConversionResult.Migrate) convert(array);
    assertThat(idsOf(migrate)).containsExactly("7", "b");
    assertThat(migrate.notes()).containsExactly(Note.NULLS_DROPPED, Note.DUPLICATES_DROPPED);
  }

  @Test
  void everyEntryGetsTheSameUnlockedAtAndOnlyTheTwoFields() {
    BsonDocument user =
        BsonDocument.parse("{_id: 1, createdAt: '2022-03-04', achievements: ['a', 'b'], other: 1}");
    ConversionResult.Migrate migrate =
        (ConversionResult.Migrate) Conversion.convert(user, RUN_START);
    assertThat(migrate.achievementsV2())
        .isEqualTo(
            BsonDocument.parse(
                    "{v: [{achievementId: 'a', unlockedAt: {'$date': '2022-03-04T00:00:00Z'}},"
                        + " {achievementId: 'b', unlockedAt: {'$date': '2022-03-04T00:00:00Z'}}]}")
                .getArray("v"));
  }

  @Test
  void doesNotChangeTheDocumentItReads() {
    BsonDocument user =
        BsonDocument.parse("{_id: 1, createdAt: 'x', achievements: [null, 'a', 'a']}");
    BsonDocument copy = user.clone();
    Conversion.convert(user, RUN_START);
    assertThat(user).isEqualTo(copy);
  }

  @Test
  void eligibilityIsAboutBsonTypes() {
    assertThat(eligible("{achievements: ['a']}")).isTrue();
    assertThat(eligible("{achievements: [null]}")).isTrue();
    assertThat(eligible("{achievements: 'a'}")).isTrue();
    assertThat(eligible("{achievements: ['a'], achievements_v2: null}")).isTrue();
    assertThat(eligible("{achievements: ['a'], achievements_v2: []}")).isTrue();
    assertThat(eligible("{achievements: ['a'], achievements_v2: [null]}")).isFalse();
    assertThat(eligible("{achievements: ['a'], achievements_v2: [{}]}")).isFalse();
    assertThat(eligible("{achievements: ['a'], achievements_v2: 'x'}")).isFalse();
    assertThat(eligible("{achievements: ['a'], achievements_v2: {}}")).isFalse();
    assertThat(eligible("{achievements: []}")).isFalse();
    assertThat(eligible("{achievements: null}")).isFalse();
    assertThat(eligible("{}")).isFalse();
    assertThat(eligible("{achievements: [[]]}")).isTrue();
  }

  private static boolean eligible(String json) {
    return Eligibility.isEligible(BsonDocument.parse(json));
  }

  private static ConversionResult convert(BsonArray achievements) {
    BsonDocument user =
        new BsonDocument("_id", new BsonInt32(1))
            .append("createdAt", new BsonDateTime(0))
            .append("achievements", achievements);
    return Conversion.convert(user, RUN_START);
  }

  private static List<String> idsOf(ConversionResult result) {
    return ((ConversionResult.Migrate) result)
        .achievementsV2().stream()
            .map(v -> v.asDocument().getString("achievementId").getValue())
            .toList();
  }
}
