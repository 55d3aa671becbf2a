package app.achievements.store;

import com.mongodb.MongoClientSettings;
import com.mongodb.client.model.UpdateOneModel;
import java.io.OutputStream;
import java.util.List;
import org.bson.BsonBinaryWriter;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.bson.ByteBuf;
import org.bson.RawBsonDocument;
import org.bson.codecs.BsonDocumentCodec;
import org.bson.codecs.EncoderContext;
import org.bson.io.OutputBuffer;

/**
 * Whether one user's guarded update fits in a statement the server takes: its filter repeats what
 * was read ({@code achievements} once, {@code achievements_v2} too for a rollback) and its update
 * carries the new array, so a user of a few megabytes can make a statement past the limit. The
 * driver would refuse that statement before sending anything (and the whole batch with it), every
 * run again: such a user is reported {@code DOCUMENT_TOO_LARGE} and never sent.
 *
 * <p>A cheap upper bound decides for almost every user; only a user near the limit is encoded to
 * count its bytes exactly.
 */
final class StatementSize {

  /**
   * The largest statement: mongod's {@code maxBsonObjectSize} (16 MiB) and the driver's headroom
   * for the command fields around a document that is not stored as it is (16 KiB).
   */
  static final long MAX_STATEMENT = 16L * 1024 * 1024 + 16 * 1024;

  /** Below this bound a statement surely fits: no need to count it. */
  static final long COUNT_ABOVE = MAX_STATEMENT / 2;

  private StatementSize() {}

  /**
   * Why {@code model}, the update of {@code write}, cannot be sent, or null when it fits.
   *
   * @param write what was read and what is written: what the statement is made of
   */
  static String tooLarge(PlannedWrite write, UpdateOneModel<BsonDocument> model) {
    long size;
    if (model.getFilter() instanceof RawBsonDocument q
        && model.getUpdate() instanceof RawBsonDocument u) {
      // encoded already ({@link EncodedWrite}): {q: filter, u: update}, counted exactly
      size = 4L + 3 + q.getByteBuffer().remaining() + 3 + u.getByteBuffer().remaining() + 1;
    } else {
      long bound = 2 * upperBound(write.read()) + upperBound(write.achievementsV2()) + 16 * 1024;
      if (bound <= COUNT_ABOVE) {
        return null;
      }
      size = encodedSize(model);
    }
    if (size <= MAX_STATEMENT) {
      return null;
    }
    return "its update would be "
        + size
        + " bytes, over the server's limit of "
        + MAX_STATEMENT
        + ": not sent";
  }

  /** The bytes of the statement {@code {q: filter, u: update}} as the driver encodes it. */
  static long encodedSize(UpdateOneModel<BsonDocument> model) {
    BsonDocument statement =
        new BsonDocument(
                "q",
                model
                    .getFilter()
                    .toBsonDocument(
                        BsonDocument.class, MongoClientSettings.getDefaultCodecRegistry()))
            .append(
                "u",
                model
                    .getUpdate()
                    .toBsonDocument(
                        BsonDocument.class, MongoClientSettings.getDefaultCodecRegistry()));
    Counting counting = new Counting();
    try (BsonBinaryWriter writer = new BsonBinaryWriter(counting)) {
      new BsonDocumentCodec().encode(writer, statement, EncoderContext.builder().build());
      return counting.getSize();
    }
  }

  /**
   * An output that counts the bytes written and keeps none: a statement of 30 MB is counted without
   * a buffer of its size (that doubles as it grows) beside the user it was built from.
   */
  private static final class Counting extends OutputBuffer {
    private int position;
    private int size;

    @Override
    public void writeBytes(byte[] bytes, int offset, int length) {
      position += length;
      size = Math.max(size, position);
    }

    @Override
    public void writeByte(int value) {
      position++;
      size = Math.max(size, position);
    }

    @Override
    protected void write(int absolutePosition, int value) {
      // a length patched in place: the count stays
    }

    @Override
    public int getPosition() {
      return position;
    }

    @Override
    public int getSize() {
      return size;
    }

    @Override
    public void truncateToPosition(int newPosition) {
      position = newPosition;
      size = newPosition;
    }

    @Override
    public int pipe(OutputStream out) {
      throw new UnsupportedOperationException("counts only");
    }

    @Override
    public List<ByteBuf> getByteBuffers() {
      throw new UnsupportedOperationException("counts only");
    }
  }

  /**
   * At least the encoded size of {@code value}, counted without encoding: a document as read is its
   * bytes; otherwise a string's characters count three bytes each (UTF-8's most for a char), every
   * element its key and type.
   */
  static long upperBound(BsonValue value) {
    if (value == null) {
      return 0;
    }
    if (value instanceof RawBsonDocument raw) {
      return raw.getByteBuffer().remaining(); // its size exactly, as read: nothing to walk
    }
    return switch (value.getBsonType()) {
      case STRING -> 32 + 3L * value.asString().getValue().length();
      case SYMBOL -> 32 + 3L * value.asSymbol().getSymbol().length();
      case JAVASCRIPT -> 32 + 3L * value.asJavaScript().getCode().length();
      case BINARY -> 32 + value.asBinary().getData().length;
      case REGULAR_EXPRESSION ->
          32
              + 3L * value.asRegularExpression().getPattern().length()
              + value.asRegularExpression().getOptions().length();
      case DB_POINTER -> 64 + 3L * value.asDBPointer().getNamespace().length();
      case JAVASCRIPT_WITH_SCOPE ->
          32
              + 3L * value.asJavaScriptWithScope().getCode().length()
              + upperBound(value.asJavaScriptWithScope().getScope());
      case ARRAY -> {
        long size = 32;
        for (BsonValue element : value.asArray()) {
          size += 16 + upperBound(element);
        }
        yield size;
      }
      case DOCUMENT -> {
        long size = 32;
        for (var field : value.asDocument().entrySet()) {
          size += 16 + 3L * field.getKey().length() + upperBound(field.getValue());
        }
        yield size;
      }
      default -> 64; // numbers, dates, ObjectIds, booleans, null, keys: sixteen bytes at most
    };
  }
}
