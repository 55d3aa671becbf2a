package app.achievements.store;

import static org.assertj.core.api.Assertions.assertThat;

import app.achievements.rules.Conversion;
import app.achievements.rules.Eligibility;
import app.achievements.rules.Fields;
import java.io.IOException;
import java.time.Instant;
import org.bson.BsonBinaryWriter;
import org.bson.BsonDocument;
import org.bson.RawBsonDocument;
import org.bson.io.BasicOutputBuffer;
import org.junit.jupiter.api.Test;

/** The rules give the same answers on the fields decoded once as on the raw user and its tree. */
class RuleFieldsTest {

  private static final Instant RUN_START = Instant.parse("2026-01-02T03:04:05.678Z");

  @Test
  void eligibilityAndConversionAreThoseOfTheWholeUser() throws IOException {
    for (BsonDocument tree : EncodedWriteTest.users()) {
      RawBsonDocument raw = RawBsonDocument.parse(tree.toJson());
      BsonDocument fields = RuleFields.of(raw);
      assertThat(Eligibility.isEligible(fields))
          .as(tree.toJson())
          .isEqualTo(Eligibility.isEligible(tree));
      if (Eligibility.isEligible(tree)) {
        assertThat(Conversion.convert(fields, RUN_START))
            .as(tree.toJson())
            .isEqualTo(Conversion.convert(tree, RUN_START))
            .isEqualTo(Conversion.convert(raw, RUN_START));
      }
      for (String name : new String[] {Fields.ID, Fields.ACHIEVEMENTS, Fields.CREATED_AT}) {
        assertThat(fields.get(name)).isEqualTo(raw.get(name));
      }
    }
  }

  @Test
  void aNameTwiceGivesItsFirstValueAsRawBsonDocumentDoes() {
    BasicOutputBuffer buffer = new BasicOutputBuffer();
    try (BsonBinaryWriter writer = new BsonBinaryWriter(buffer)) {
      writer.writeStartDocument();
      writer.writeInt32("_id", 1);
      writer.writeStartArray("achievements");
      writer.writeString("first");
      writer.writeEndArray();
      writer.writeNull("achievements");
      writer.writeInt32("other", 3);
      writer.writeEndDocument();
    }
    RawBsonDocument raw = new RawBsonDocument(buffer.toByteArray());

    BsonDocument fields = RuleFields.of(raw);

    assertThat(fields.get("achievements")).isEqualTo(raw.get("achievements"));
    assertThat(fields.get("achievements").asArray()).hasSize(1);
    assertThat(fields.containsKey("other")).isFalse();
    assertThat(Eligibility.isEligible(fields)).isTrue();
  }

  @Test
  void aUserThatIsNotRawIsItself() {
    BsonDocument tree = BsonDocument.parse("{_id: 1, achievements: ['a']}");
    assertThat(RuleFields.of(tree)).isSameAs(tree);
  }
}
