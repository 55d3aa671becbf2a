package app.achievements.store;

import app.achievements.rules.Fields;
import com.mongodb.ReadPreference;
import com.mongodb.client.MongoClient;
import com.mongodb.client.model.Filters;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bson.BsonBoolean;
import org.bson.BsonDocument;
import org.bson.BsonNull;
import org.bson.BsonValue;

/**
 * The shard key of the users collection, as {@code config.collections} records it on a sharded
 * cluster: its fields are read with each user and required, with the values read, by the user's
 * guarded update, so that mongos sends each update to the one shard that holds the user instead of
 * to every shard. An unsharded collection (or a replica set) has none.
 */
public final class ShardKey {

  /** No shard key: the guard is {@code _id}'s alone. */
  public static final ShardKey NONE = new ShardKey(List.of());

  private final List<String> fields;

  /** The key of these fields (dotted paths), {@code _id} left out: the guard has it already. */
  public ShardKey(List<String> fields) {
    this.fields = fields.stream().filter(field -> !field.equals(Fields.ID)).toList();
  }

  /**
   * The shard key of {@code namespace}, read from the primary of {@code config.collections}: none
   * when the collection is not sharded (or is not a cluster's).
   *
   * @throws com.mongodb.MongoException when it cannot be read (a user without the right to read
   *     {@code config}, say): the caller decides what that means
   */
  public static ShardKey of(
      MongoClient client, String namespace, Duration operationTimeout, String comment) {
    BsonDocument collection =
        client
            .getDatabase("config")
            .getCollection("collections", BsonDocument.class)
            .withReadPreference(ReadPreference.primary())
            .find(Filters.eq("_id", namespace))
            .maxTime(operationTimeout.toMillis(), TimeUnit.MILLISECONDS)
            .comment(comment)
            .first();
    if (collection == null
        || collection.getBoolean("dropped", BsonBoolean.FALSE).getValue()
        || !collection.isDocument("key")) {
      return NONE;
    }
    return new ShardKey(new ArrayList<>(collection.getDocument("key").keySet()));
  }

  /** The fields, in the key's order, without {@code _id}. */
  public List<String> fields() {
    return fields;
  }

  /** Adds {@code field: value read} for each field of the key to {@code filter}. */
  void addTo(BsonDocument filter, BsonDocument read) {
    for (String field : fields) {
      filter.append(field, valueAt(read, field));
    }
  }

  /**
   * The value at {@code path} in {@code document}, null when missing: for a shard key, a missing
   * field is null.
   */
  static BsonValue valueAt(BsonDocument document, String path) {
    BsonValue value = document;
    for (String part : path.split("\\.")) {
      if (!value.isDocument() || !value.asDocument().containsKey(part)) {
        return BsonNull.VALUE;
      }
      value = value.asDocument().get(part);
    }
    return value;
  }

  @Override
  public String toString() {
    return fields.isEmpty() ? "none" : String.join(", ", fields);
  }
}
