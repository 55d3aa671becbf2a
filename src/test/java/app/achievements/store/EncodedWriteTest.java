package app.achievements.store;

import static org.assertj.core.api.Assertions.assertThat;

import app.achievements.embedded.SampleUsers;
import app.achievements.rules.Conversion;
import app.achievements.rules.ConversionResult;
import app.achievements.rules.Eligibility;
import com.mongodb.MongoClientSettings;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.bson.BsonArray;
import org.bson.BsonBinary;
import org.bson.BsonBinaryWriter;
import org.bson.BsonBoolean;
import org.bson.BsonDateTime;
import org.bson.BsonDbPointer;
import org.bson.BsonDecimal128;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonJavaScript;
import org.bson.BsonJavaScriptWithScope;
import org.bson.BsonMaxKey;
import org.bson.BsonMinKey;
import org.bson.BsonNull;
import org.bson.BsonObjectId;
import org.bson.BsonRegularExpression;
import org.bson.BsonString;
import org.bson.BsonSymbol;
import org.bson.BsonTimestamp;
import org.bson.BsonUndefined;
import org.bson.RawBsonDocument;
import org.bson.codecs.BsonDocumentCodec;
import org.bson.codecs.EncoderContext;
import org.bson.conversions.Bson;
import org.bson.io.BasicOutputBuffer;
import org.bson.types.Decimal128;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;

/**
 * The statements encoded by hand are WriteGuard's filter and the {@code $set} of the new array,
 * byte for byte: for every case of conversion-cases.json, for sample users of every shape, with and
 * without a shard key.
 */
class EncodedWriteTest {

  private static final Instant RUN_START = Instant.parse("2026-01-02T03:04:05.678Z");

  /** Every conversion case, 2000 sample users and a few with shard key fields. */
  static List<BsonDocument> users() throws IOException {
    List<BsonDocument> users = new ArrayList<>();
    try (InputStream in = EncodedWriteTest.class.getResourceAsStream("/conversion-cases.json")) {
      BsonDocument file = BsonDocument.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      file.getArray("cases").forEach(c -> users.add(c.asDocument().getDocument("user")));
    }
    users.addAll(SampleUsers.generate(2000, 7));
    users.add(
        BsonDocument.parse(
            "{_id: {a: 1, b: 'x'}, region: 'eu', tenant: 7, achievements: ['$x', 'ü', 7.0],"
                + " createdAt: {$numberDecimal: '1600000000'}}"));
    users.add(BsonDocument.parse("{_id: 'n', region: null, achievements: ['a'], createdAt: null}"));
    // every BSON type among the fields, before, between and after those the filter copies: the
    // elements are found by walking the bytes, each type's size read as BSON defines it
    ObjectId oid = new ObjectId("5f1e2d3c4b5a697887766554");
    users.add(
        new BsonDocument("double", new BsonDouble(1.5))
            .append("string", new BsonString("s"))
            .append("document", new BsonDocument("a", new BsonInt32(1)))
            .append("array", new BsonArray(List.of(new BsonInt32(1), new BsonString("b"))))
            .append("binary", new BsonBinary(new byte[] {1, 2, 3}))
            .append("undefined", new BsonUndefined())
            .append("objectId", new BsonObjectId(oid))
            .append("boolean", BsonBoolean.TRUE)
            .append("date", new BsonDateTime(5))
            .append("null", BsonNull.VALUE)
            .append("regex", new BsonRegularExpression("a.c", "i"))
            .append("_id", new BsonString("every type"))
            .append("dbPointer", new BsonDbPointer("db.c", oid))
            .append("javascript", new BsonJavaScript("x"))
            .append("symbol", new BsonSymbol("y"))
            .append(
                "scope", new BsonJavaScriptWithScope("z", new BsonDocument("v", BsonNull.VALUE)))
            .append("int32", new BsonInt32(3))
            .append("achievements", new BsonArray(List.of(new BsonString("a"), new BsonInt32(2))))
            .append("timestamp", new BsonTimestamp(1, 2))
            .append("int64", new BsonInt64(1L << 40))
            .append("decimal", new BsonDecimal128(Decimal128.parse("1.5")))
            .append("createdAt", new BsonDateTime(1_600_000_000_000L))
            .append("minKey", new BsonMinKey())
            .append("region", new BsonString("eu"))
            .append("maxKey", new BsonMaxKey()));
    return users;
  }

  private static String hex(Bson document) {
    BasicOutputBuffer buffer = new BasicOutputBuffer();
    try (BsonBinaryWriter writer = new BsonBinaryWriter(buffer)) {
      new BsonDocumentCodec()
          .encode(
              writer,
              document.toBsonDocument(
                  BsonDocument.class, MongoClientSettings.getDefaultCodecRegistry()),
              EncoderContext.builder().build());
    }
    return HexFormat.of().formatHex(buffer.toByteArray());
  }

  @Test
  void theBytesAreWriteGuardsFilterAndTheSetOfTheNewArray() throws IOException {
    int compared = 0;
    for (ShardKey key :
        List.of(
            ShardKey.NONE,
            new ShardKey(List.of("region")),
            new ShardKey(List.of("tenant", "region")))) {
      for (BsonDocument tree : users()) {
        if (!Eligibility.isEligible(tree)
            || !(Conversion.convert(tree, RUN_START) instanceof ConversionResult.Migrate migrate)) {
          continue;
        }
        RawBsonDocument raw = RawBsonDocument.parse(tree.toJson());
        EncodedWrite.Statement encoded = EncodedWrite.of(PlannedWrite.migration(raw, migrate), key);
        assertThat(hex(encoded.filter()))
            .as(tree.toJson())
            .isEqualTo(hex(WriteGuard.unchangedSince(tree, key)));
        assertThat(hex(encoded.update()))
            .isEqualTo(
                hex(
                    new BsonDocument(
                        "$set", new BsonDocument("achievements_v2", migrate.achievementsV2()))));
        compared++;
      }
    }
    assertThat(compared).isGreaterThan(3000);
  }

  @Test
  void aStatementLargerThanTheBufferKeptIsWrittenWholeAndTheNextOneAfterItToo() {
    List<String> many = new ArrayList<>();
    for (int i = 0; i < 60_000; i++) {
      many.add("'achievement-" + i + "'");
    }
    BsonDocument large =
        BsonDocument.parse(
            "{_id: 1, achievements: [" + String.join(",", many) + "], createdAt: 5}");
    BsonDocument small = BsonDocument.parse("{_id: 2, achievements: ['a'], createdAt: 6}");
    for (BsonDocument tree : List.of(small, large, small)) {
      ConversionResult.Migrate migrate =
          (ConversionResult.Migrate) Conversion.convert(tree, RUN_START);
      BsonArray v2 = migrate.achievementsV2();
      EncodedWrite.Statement encoded =
          EncodedWrite.of(
              PlannedWrite.migration(RawBsonDocument.parse(tree.toJson()), migrate), ShardKey.NONE);
      assertThat(hex(encoded.filter()))
          .isEqualTo(hex(WriteGuard.unchangedSince(tree, ShardKey.NONE)));
      assertThat(hex(encoded.update()))
          .isEqualTo(hex(new BsonDocument("$set", new BsonDocument("achievements_v2", v2))));
    }
  }

  private static EncodedWrite.Statement encode(RawBsonDocument raw, ShardKey key) {
    BsonDocument fields = RuleFields.of(raw);
    ConversionResult.Migrate migrate =
        (ConversionResult.Migrate) Conversion.convert(fields, RUN_START);
    return EncodedWrite.of(PlannedWrite.migration(raw, migrate), key);
  }

  @Test
  void aShardKeyOnAGuardedFieldTakesWriteGuardsTree() {
    RawBsonDocument raw = RawBsonDocument.parse("{_id: 1, achievements: ['a'], createdAt: 5}");
    assertThat(encode(raw, new ShardKey(List.of("createdAt")))).isNull();
    assertThat(encode(raw, new ShardKey(List.of("achievements")))).isNull();
  }

  /** The bytes of an id that is not UTF-8 read as U+FFFD: written, the id would not be as read. */
  @Test
  void anIdOfInvalidUtf8TakesWriteGuardsTree() {
    byte[] bytes =
        RawBsonDocument.parse("{_id: 1, achievements: ['ab'], createdAt: 5}")
            .getByteBuffer()
            .array()
            .clone();
    for (int i = 0; i + 1 < bytes.length; i++) {
      if (bytes[i] == 'a' && bytes[i + 1] == 'b' && bytes[i + 2] == 0) {
        bytes[i] = (byte) 0xc3;
        bytes[i + 1] = (byte) 0xff;
      }
    }
    RawBsonDocument raw = new RawBsonDocument(bytes);
    assertThat(RuleFields.of(raw).getArray("achievements").get(0).asString().getValue())
        .contains("\uFFFD");

    assertThat(encode(raw, ShardKey.NONE)).isNull();
    assertThat(
            encode(
                RawBsonDocument.parse("{_id: 1, achievements: ['\uFFFD'], createdAt: 5}"),
                ShardKey.NONE))
        .isNull(); // the character itself, too: the tree's filter matches it
  }

  @Test
  void aNameTwiceIsGuardedByItsFirstValueAsItIsConverted() {
    BasicOutputBuffer buffer = new BasicOutputBuffer();
    try (BsonBinaryWriter writer = new BsonBinaryWriter(buffer)) {
      writer.writeStartDocument();
      writer.writeInt32("_id", 1);
      writer.writeStartArray("achievements");
      writer.writeString("first");
      writer.writeEndArray();
      writer.writeInt32("createdAt", 5);
      writer.writeStartArray("achievements");
      writer.writeString("second");
      writer.writeEndArray();
      writer.writeInt32("createdAt", 6);
      writer.writeEndDocument();
    }
    RawBsonDocument raw = new RawBsonDocument(buffer.toByteArray());

    assertThat(hex(encode(raw, ShardKey.NONE).filter()))
        .isEqualTo(hex(WriteGuard.unchangedSince(raw, ShardKey.NONE)));
  }

  @Test
  void aStatementNearTheServersLimitTakesWriteGuardsTreeToBeCountedThere() {
    String large = "x".repeat((int) (StatementSize.COUNT_ABOVE / 2) + 1);
    RawBsonDocument raw =
        RawBsonDocument.parse("{_id: 1, achievements: ['" + large + "'], createdAt: 5}");
    assertThat(encode(raw, ShardKey.NONE)).isNull();
  }

  @Test
  void aUserThatIsNotRawOrANestedShardKeyTakesWriteGuardsTree() {
    BsonDocument tree = BsonDocument.parse("{_id: 1, achievements: ['a'], createdAt: 5}");
    ConversionResult.Migrate migrate =
        (ConversionResult.Migrate) Conversion.convert(tree, RUN_START);
    assertThat(EncodedWrite.of(PlannedWrite.migration(tree, migrate), ShardKey.NONE)).isNull();
    RawBsonDocument raw = RawBsonDocument.parse(tree.toJson());
    assertThat(EncodedWrite.of(PlannedWrite.migration(raw, migrate), new ShardKey(List.of("a.b"))))
        .isNull();
  }
}
