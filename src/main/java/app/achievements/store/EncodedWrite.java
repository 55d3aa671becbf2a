package app.achievements.store;

import app.achievements.rules.Conversion;
import app.achievements.rules.Fields;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bson.BsonBinaryWriter;
import org.bson.BsonDocument;
import org.bson.BsonSerializationException;
import org.bson.BsonType;
import org.bson.RawBsonDocument;
import org.bson.codecs.BsonDocumentCodec;
import org.bson.codecs.EncoderContext;
import org.bson.io.BasicOutputBuffer;

/**
 * One user's guarded update, encoded once into the bytes that are sent: the filter of {@link
 * WriteGuard#unchangedSince} and {@code {$set: {achievements_v2: …}}}, as {@link RawBsonDocument}s
 * that the driver copies into its bulk write as they are. The values read ({@code _id}, the shard
 * key, {@code achievements}, {@code createdAt}) are copied byte for byte out of the user as the
 * server sent it, the filter's constant parts are encoded once for every user, and the new array is
 * written straight from its ids and date: no tree of objects per statement, no codec lookups, and
 * the statement's exact size for free. The bytes are those of WriteGuard's filter ({@code
 * EncodedWriteTest} proves it, element for element).
 *
 * <p>WriteGuard's tree is sent instead for a user that is not raw; for a shard key of a nested
 * field, or on {@code createdAt} or {@code achievements} (the tree keeps its equality and moves the
 * type condition under {@code $and}); for a statement near the size limit ({@link StatementSize}
 * counts the tree exactly, before anything of that size is encoded); and for an id holding U+FFFD,
 * which is how a string of invalid UTF-8 reads: the id might not be the string read while the bytes
 * copied into the filter would still match it, so the tree's filter, the string re-encoded, is sent
 * and matches nothing: a conflict, never a changed id written.
 */
final class EncodedWrite {

  /** The bytes of a filter and an update. */
  record Statement(RawBsonDocument filter, RawBsonDocument update) {}

  private static final byte[] EXPR = name("$expr");
  private static final byte[] AND = name("$and");
  private static final byte[] EQ = name("$eq");
  private static final byte[] LITERAL = name("$literal");
  private static final byte[] SET = name("$set");
  private static final byte[] V2 = name(Fields.ACHIEVEMENTS_V2);
  private static final byte[] ACHIEVEMENT_ID = name(Conversion.ACHIEVEMENT_ID);
  private static final byte[] UNLOCKED_AT = name(Conversion.UNLOCKED_AT);
  private static final byte[] ACHIEVEMENTS_PATH =
      ("$" + Fields.ACHIEVEMENTS).getBytes(StandardCharsets.UTF_8);
  private static final byte[] CREATED_AT_PATH =
      ("$" + Fields.CREATED_AT).getBytes(StandardCharsets.UTF_8);

  /** The names of an array's first elements, as C strings: "0", "1", … */
  private static final byte[][] INDEXES = new byte[1024][];

  static {
    for (int i = 0; i < INDEXES.length; i++) {
      INDEXES[i] = name(Integer.toString(i));
    }
  }

  /** The elements that follow the values read, as WriteGuard builds them, encoded once. */
  private static final byte[] CREATED_AT_MISSING =
      element(new BsonDocument(Fields.CREATED_AT, WriteGuard.createdAtCondition(null)));

  private static final byte[] NO_SYMBOL =
      element(new BsonDocument(Fields.ACHIEVEMENTS, WriteGuard.noSymbol()));
  private static final byte[] V2_STILL_EMPTY =
      element(new BsonDocument("$or", WriteGuard.stillEmpty()));
  private static final Map<BsonType, byte[]> CREATED_AT_TYPE = new EnumMap<>(BsonType.class);

  static {
    for (BsonType type : BsonType.values()) {
      BsonDocument condition = WriteGuard.createdAtCondition(type);
      if (condition != null) {
        CREATED_AT_TYPE.put(type, element(new BsonDocument(Fields.CREATED_AT, condition)));
      }
    }
  }

  private EncodedWrite() {}

  /**
   * The statement of {@code write}, a migration, or null when WriteGuard's tree is to be sent (see
   * above).
   */
  static Statement of(PlannedWrite write, ShardKey shardKey) {
    if (!(write.read() instanceof RawBsonDocument read)
        || shardKey.fields().stream()
            .anyMatch(
                field ->
                    field.contains(".")
                        || field.equals(Fields.CREATED_AT)
                        || field.equals(Fields.ACHIEVEMENTS))) {
      return null;
    }
    ByteBuffer buffer = read.getByteBuffer().asNIO();
    byte[] bytes = buffer.array();
    int base = buffer.arrayOffset() + buffer.position();
    Map<String, int[]> elements = elements(bytes, base, shardKey.fields());
    if (!fitsAtOnce(write, elements)) {
      return null;
    }
    Bytes out = Bytes.forThisThread();
    int filter = out.startDocument();
    out.copy(bytes, base, elements.get(Fields.ID)); // _id
    for (String field : shardKey.fields()) {
      int[] element = elements.get(field);
      if (element == null) {
        out.nullElement(field); // a missing shard key field is null
      } else {
        out.copy(bytes, base, element);
      }
    }
    int[] achievements = elements.get(Fields.ACHIEVEMENTS);
    int[] createdAt = elements.get(Fields.CREATED_AT);
    out.type(BsonType.DOCUMENT).write(EXPR);
    int expr = out.startDocument();
    out.type(BsonType.ARRAY).write(AND);
    int and = out.startDocument();
    sameValue(out, 0, ACHIEVEMENTS_PATH, bytes, base, achievements);
    if (createdAt != null) {
      sameValue(out, 1, CREATED_AT_PATH, bytes, base, createdAt);
    }
    out.endDocument(and);
    out.endDocument(expr);
    out.write(
        createdAt == null
            ? CREATED_AT_MISSING
            : CREATED_AT_TYPE.get(BsonType.findByValue(bytes[base + createdAt[0]])));
    out.write(NO_SYMBOL);
    out.write(V2_STILL_EMPTY);
    out.endDocument(filter);
    RawBsonDocument q = out.take();

    int update = out.startDocument();
    out.type(BsonType.DOCUMENT).write(SET);
    int fields = out.startDocument();
    out.type(BsonType.ARRAY).write(V2);
    int array = out.startDocument();
    int index = 0;
    long unlockedAt = write.migration().unlockedAt().getValue();
    for (String id : write.migration().ids()) {
      if (id.indexOf('\uFFFD') >= 0) {
        return null; // maybe not the string read (see above)
      }
      out.type(BsonType.DOCUMENT).index(index++);
      int one = out.startDocument();
      out.type(BsonType.STRING).write(ACHIEVEMENT_ID);
      out.string(id);
      out.type(BsonType.DATE_TIME).write(UNLOCKED_AT);
      out.int64(unlockedAt);
      out.endDocument(one);
    }
    out.endDocument(array);
    out.endDocument(fields);
    out.endDocument(update);
    return new Statement(q, out.take());
  }

  /**
   * Whether the statement is surely far from the server's size limit: a larger one takes
   * WriteGuard's tree, which {@link StatementSize} counts exactly before anything is encoded, so
   * that a user of many megabytes is reported, not copied into buffers of its size first.
   */
  private static boolean fitsAtOnce(PlannedWrite write, Map<String, int[]> elements) {
    long bound = 1024 + 64L * write.migration().ids().size();
    for (int[] element : elements.values()) {
      bound += element[2] - element[0];
    }
    // the new array's ids come from achievements: a string's no longer than its element, a
    // number's within its element and the 64 bytes an entry is given
    bound += size(elements.get(Fields.ACHIEVEMENTS));
    return bound <= StatementSize.COUNT_ABOVE;
  }

  private static long size(int[] element) {
    return element == null ? 0 : element[2] - element[0];
  }

  /** {@code {$eq: [path, {$literal: value read}]}} as element {@code index} of {@code $and}. */
  private static void sameValue(
      Bytes out, int index, byte[] path, byte[] bytes, int base, int[] element) {
    out.type(BsonType.DOCUMENT).index(index);
    int eq = out.startDocument();
    out.type(BsonType.ARRAY).write(EQ);
    int operands = out.startDocument();
    out.type(BsonType.STRING).index(0);
    out.stringBytes(path);
    out.type(BsonType.DOCUMENT).index(1);
    int literal = out.startDocument();
    // the value read, under the name $literal: its type byte, the name, its bytes as they are
    out.writeByte(bytes[base + element[0]]).write(LITERAL);
    out.write(bytes, base + element[1], element[2] - element[1]);
    out.endDocument(literal);
    out.endDocument(operands);
    out.endDocument(eq);
  }

  /**
   * Where {@code _id}, {@code achievements}, {@code createdAt} and {@code shardFields} are in the
   * document at {@code base} of {@code bytes}: for each, {start of the element (its type byte),
   * start of its value, end}, relative to {@code base}; the first of a name, as {@code
   * RawBsonDocument.get} and so the conversion read it. Read by hand, as {@code
   * BsonBinaryReader.skipValue} walks BSON, without a name decoded or a reader built per user.
   */
  private static Map<String, int[]> elements(byte[] bytes, int base, List<String> shardFields) {
    Map<String, int[]> found = new HashMap<>(8);
    int end = int32(bytes, base) - 1; // before the document's closing zero
    int at = 4;
    while (at < end) {
      int start = at;
      byte type = bytes[base + at];
      int name = at + 1;
      at = name;
      while (bytes[base + at] != 0) {
        at++;
      }
      int value = at + 1;
      at = value + valueSize(bytes, base + value, type);
      String field = wanted(bytes, base + name, value - 1 - name, shardFields);
      if (field != null) {
        found.putIfAbsent(field, new int[] {start, value, at});
      }
    }
    return found;
  }

  private static final byte[] ID_NAME = Fields.ID.getBytes(StandardCharsets.UTF_8);
  private static final byte[] ACHIEVEMENTS_NAME =
      Fields.ACHIEVEMENTS.getBytes(StandardCharsets.UTF_8);
  private static final byte[] CREATED_AT_NAME = Fields.CREATED_AT.getBytes(StandardCharsets.UTF_8);

  /** The field of the name of {@code length} bytes at {@code at}, if it is one of those sought. */
  private static String wanted(byte[] bytes, int at, int length, List<String> shardFields) {
    if (same(bytes, at, length, ID_NAME)) {
      return Fields.ID;
    }
    if (same(bytes, at, length, ACHIEVEMENTS_NAME)) {
      return Fields.ACHIEVEMENTS;
    }
    if (same(bytes, at, length, CREATED_AT_NAME)) {
      return Fields.CREATED_AT;
    }
    for (String field : shardFields) {
      if (same(bytes, at, length, field.getBytes(StandardCharsets.UTF_8))) {
        return field;
      }
    }
    return null;
  }

  private static boolean same(byte[] bytes, int at, int length, byte[] name) {
    return length == name.length && Arrays.equals(bytes, at, at + length, name, 0, length);
  }

  /** The size of the value of BSON type {@code type} at {@code at}. */
  private static int valueSize(byte[] bytes, int at, byte type) {
    BsonType bsonType = BsonType.findByValue(type);
    if (bsonType == null) {
      throw new BsonSerializationException("unexpected BSON type " + type);
    }
    switch (bsonType) {
      case DOUBLE:
      case DATE_TIME:
      case TIMESTAMP:
      case INT64:
        return 8;
      case STRING:
      case JAVASCRIPT:
      case SYMBOL:
        return 4 + int32(bytes, at);
      case DOCUMENT:
      case ARRAY:
      case JAVASCRIPT_WITH_SCOPE:
        return int32(bytes, at);
      case BINARY:
        return 4 + 1 + int32(bytes, at);
      case UNDEFINED:
      case NULL:
      case MIN_KEY:
      case MAX_KEY:
        return 0;
      case OBJECT_ID:
        return 12;
      case BOOLEAN:
        return 1;
      case REGULAR_EXPRESSION:
        int end = at;
        for (int zeros = 0; zeros < 2; end++) {
          if (bytes[end] == 0) {
            zeros++;
          }
        }
        return end - at;
      case DB_POINTER:
        return 4 + int32(bytes, at) + 12;
      case INT32:
        return 4;
      case DECIMAL128:
        return 16;
      default:
        throw new BsonSerializationException("unexpected BSON type " + type);
    }
  }

  private static int int32(byte[] bytes, int at) {
    return (bytes[at] & 0xff)
        | (bytes[at + 1] & 0xff) << 8
        | (bytes[at + 2] & 0xff) << 16
        | (bytes[at + 3] & 0xff) << 24;
  }

  private static byte[] name(String name) {
    byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
    return Arrays.copyOf(utf8, utf8.length + 1);
  }

  /** The bytes of {@code document}'s one element: its type, name and value. */
  private static byte[] element(BsonDocument document) {
    BasicOutputBuffer buffer = new BasicOutputBuffer();
    try (BsonBinaryWriter writer = new BsonBinaryWriter(buffer)) {
      new BsonDocumentCodec().encode(writer, document, EncoderContext.builder().build());
    }
    byte[] all = buffer.toByteArray();
    return Arrays.copyOfRange(all, 4, all.length - 1);
  }

  /** A growing buffer of BSON, written by hand: documents whose lengths are patched at the end. */
  private static final class Bytes {
    /** What a writer thread's buffer starts with, and the most it keeps between statements. */
    private static final int INITIAL = 4096;

    private static final int KEPT = 1 << 20;

    private byte[] bytes = new byte[INITIAL];
    private int size;

    /**
     * This thread's buffer, empty (even if a statement failed half-written): each statement is
     * written in it, then copied out at its size.
     */
    static Bytes forThisThread() {
      Bytes scratch = SCRATCH.get();
      scratch.size = 0;
      return scratch;
    }

    private static final ThreadLocal<Bytes> SCRATCH = ThreadLocal.withInitial(Bytes::new);

    private void ensure(int more) {
      if (size + more > bytes.length) {
        bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
      }
    }

    Bytes writeByte(int b) {
      ensure(1);
      bytes[size++] = (byte) b;
      return this;
    }

    Bytes type(BsonType type) {
      return writeByte(type.getValue());
    }

    Bytes write(byte[] data) {
      return write(data, 0, data.length);
    }

    Bytes write(byte[] data, int offset, int length) {
      ensure(length);
      System.arraycopy(data, offset, bytes, size, length);
      size += length;
      return this;
    }

    /** Copies the element {@code element} ({start, value, end}) of the document at {@code base}. */
    void copy(byte[] data, int base, int[] element) {
      write(data, base + element[0], element[2] - element[0]);
    }

    void nullElement(String name) {
      type(BsonType.NULL).write(EncodedWrite.name(name));
    }

    /** An array element's name: its index. */
    void index(int index) {
      write(index < INDEXES.length ? INDEXES[index] : EncodedWrite.name(Integer.toString(index)));
    }

    int startDocument() {
      int at = size;
      int32(0);
      return at;
    }

    void endDocument(int at) {
      writeByte(0);
      putInt(at, size - at);
    }

    void int32(int value) {
      ensure(4);
      putInt(size, value);
      size += 4;
    }

    void int64(long value) {
      ensure(8);
      putInt(size, (int) value);
      putInt(size + 4, (int) (value >>> 32));
      size += 8;
    }

    /** Little-endian, as BSON's numbers are. */
    private void putInt(int at, int value) {
      bytes[at] = (byte) value;
      bytes[at + 1] = (byte) (value >>> 8);
      bytes[at + 2] = (byte) (value >>> 16);
      bytes[at + 3] = (byte) (value >>> 24);
    }

    void string(String value) {
      stringBytes(value.getBytes(StandardCharsets.UTF_8));
    }

    /** A BSON string: its length with the closing zero, its UTF-8, the zero. */
    void stringBytes(byte[] utf8) {
      int32(utf8.length + 1);
      write(utf8);
      writeByte(0);
    }

    /** The document written, in an array of its own size; this buffer is then empty again. */
    RawBsonDocument take() {
      RawBsonDocument written = new RawBsonDocument(Arrays.copyOf(bytes, size));
      size = 0;
      if (bytes.length > KEPT) {
        bytes = new byte[INITIAL]; // a very large user's statement is not kept for the next
      }
      return written;
    }
  }
}
