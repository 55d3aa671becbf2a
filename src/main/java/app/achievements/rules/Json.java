package app.achievements.rules;

import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.bson.json.JsonMode;
import org.bson.json.JsonWriterSettings;

/** BSON values as relaxed Extended JSON, for people. */
public final class Json {

  private static final JsonWriterSettings RELAXED =
      JsonWriterSettings.builder().outputMode(JsonMode.RELAXED).build();
  private static final String KEY = "v";

  private Json() {}

  /** {@code value} in relaxed Extended JSON: {@code 7}, {@code "a"}, {@code {"$oid": "…"}}. */
  public static String relaxed(BsonValue value) {
    return unwrap(new BsonDocument(KEY, value).toJson(RELAXED));
  }

  /** {@code document} in relaxed Extended JSON, on one line. */
  public static String relaxed(BsonDocument document) {
    return document.toJson(RELAXED);
  }

  private static String unwrap(String json) {
    // {"v": <value>}
    return json.substring(json.indexOf(':') + 2, json.length() - 1);
  }
}
