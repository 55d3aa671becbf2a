package app.achievements.store;

import app.achievements.rules.Fields;
import java.util.Set;
import org.bson.BsonBinaryReader;
import org.bson.BsonDocument;
import org.bson.BsonType;
import org.bson.RawBsonDocument;
import org.bson.codecs.BsonValueCodec;
import org.bson.codecs.DecoderContext;

/**
 * The fields the rules read ({@code _id}, {@code achievements}, {@code achievements_v2}, {@code
 * createdAt}) of a user read as raw BSON, decoded in one pass. Each {@code get} of a {@link
 * RawBsonDocument} scans it from the start and its arrays are counted by walking them; the
 * eligibility rule and the conversion ask several times per user. The values are those {@code get}
 * returns: the first element of each name, equal value for value; the rest of the user is not
 * decoded at all.
 */
public final class RuleFields {

  private static final Set<String> NAMES =
      Set.of(Fields.ID, Fields.ACHIEVEMENTS, Fields.ACHIEVEMENTS_V2, Fields.CREATED_AT);
  private static final BsonValueCodec VALUES = new BsonValueCodec();
  private static final DecoderContext CONTEXT = DecoderContext.builder().build();

  private RuleFields() {}

  /** Those fields of {@code user}, or {@code user} itself when it is not raw. */
  public static BsonDocument of(BsonDocument user) {
    if (!(user instanceof RawBsonDocument raw)) {
      return user;
    }
    BsonDocument fields = new BsonDocument();
    try (BsonBinaryReader reader = new BsonBinaryReader(raw.getByteBuffer().asNIO())) {
      reader.readStartDocument();
      while (reader.readBsonType() != BsonType.END_OF_DOCUMENT) {
        String name = reader.readName();
        if (NAMES.contains(name) && !fields.containsKey(name)) {
          if (name.equals(Fields.ID) && reader.getCurrentBsonType() == BsonType.DOCUMENT) {
            // as get returns it: the user's own bytes (a tree would merge names it repeats, and
            // the re-read of a conflict, by _id, would miss the user)
            fields.put(name, raw.get(name));
            reader.skipValue();
          } else {
            fields.put(name, VALUES.decode(reader, CONTEXT));
          }
        } else {
          reader.skipValue();
        }
      }
    }
    return fields;
  }
}
