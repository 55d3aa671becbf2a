package app.achievements.store;

import static org.assertj.core.api.Assertions.assertThat;

import app.achievements.rules.Conversion;
import app.achievements.rules.ConversionResult;
import app.achievements.rules.Eligibility;
import com.mongodb.client.model.UpdateOneModel;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import org.bson.BsonBinaryWriter;
import org.bson.BsonDocument;
import org.bson.RawBsonDocument;
import org.bson.codecs.BsonDocumentCodec;
import org.bson.codecs.EncoderContext;
import org.bson.io.BasicOutputBuffer;
import org.junit.jupiter.api.Test;

/** A statement counted without being stored is as large as it is encoded. */
class StatementSizeTest {

  @Test
  void theCountIsTheEncodedSizeOfEveryStatement() throws IOException {
    int compared = 0;
    for (BsonDocument tree : EncodedWriteTest.users()) {
      if (!Eligibility.isEligible(tree)
          || !(Conversion.convert(tree, Instant.EPOCH) instanceof ConversionResult.Migrate m)) {
        continue;
      }
      for (BsonDocument read : List.of(tree, RawBsonDocument.parse(tree.toJson()))) {
        UpdateOneModel<BsonDocument> model =
            MongoUserStore.updates(List.of(PlannedWrite.migration(read, m)), ShardKey.NONE).get(0);
        BsonDocument statement =
            new BsonDocument("q", tree(model.getFilter())).append("u", tree(model.getUpdate()));
        BasicOutputBuffer buffer = new BasicOutputBuffer();
        try (BsonBinaryWriter writer = new BsonBinaryWriter(buffer)) {
          new BsonDocumentCodec().encode(writer, statement, EncoderContext.builder().build());
        }
        assertThat(StatementSize.encodedSize(model)).isEqualTo(buffer.getSize());
        compared++;
      }
    }
    assertThat(compared).isGreaterThan(2000);
  }

  private static BsonDocument tree(org.bson.conversions.Bson bson) {
    return bson.toBsonDocument(
        BsonDocument.class, com.mongodb.MongoClientSettings.getDefaultCodecRegistry());
  }
}
