package app.achievements.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Every case of conversion-cases.json (an exact copy of ../shared's) through the conversion. */
class ConversionCasesTest {

  private static final BsonDocument FILE = load();

  @TestFactory
  Stream<DynamicTest> everyCaseConvertsAsSpecified() {
    Instant runStart = Instant.ofEpochMilli(FILE.getDateTime("runStart").getValue());
    return FILE.getArray("cases").stream()
        .map(BsonValue::asDocument)
        .map(
            c ->
                DynamicTest.dynamicTest(
                    c.getString("name").getValue(),
                    () -> assertCase(c.getDocument("user"), c.getDocument("expect"), runStart)));
  }

  @Test
  void theFileHasCases() {
    assertThat(FILE.getArray("cases")).hasSizeGreaterThanOrEqualTo(25);
  }

  private static void assertCase(BsonDocument user, BsonDocument expect, Instant runStart) {
    assertThat(Eligibility.isEligible(user)).as("every case is eligible").isTrue();
    ConversionResult result = Conversion.convert(user, runStart);
    switch (expect.getString("outcome").getValue()) {
      case "migrate" -> {
        assertThat(result).isInstanceOf(ConversionResult.Migrate.class);
        ConversionResult.Migrate migrate = (ConversionResult.Migrate) result;
        assertThat(migrate.achievementsV2()).isEqualTo(expect.getArray("achievements_v2"));
        List<String> notes = migrate.notes().stream().map(Note::name).toList();
        List<String> expected =
            expect.getArray("notes").stream().map(n -> n.asString().getValue()).toList();
        assertThat(notes).containsExactlyElementsOf(expected);
      }
      case "reject" ->
          assertThat(result)
              .isEqualTo(
                  new ConversionResult.Reject(
                      RejectReason.valueOf(expect.getString("reason").getValue())));
      default -> throw new AssertionError("unknown outcome in " + expect.toJson());
    }
  }

  private static BsonDocument load() {
    try (InputStream in = ConversionCasesTest.class.getResourceAsStream("/conversion-cases.json")) {
      return BsonDocument.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
