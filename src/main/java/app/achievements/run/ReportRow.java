package app.achievements.run;

import app.achievements.rules.Fields;
import app.achievements.rules.Finding;
import app.achievements.rules.Note;
import java.util.Objects;
import java.util.Set;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.json.JsonMode;
import org.bson.json.JsonWriterSettings;

/**
 * One user in the report: every user that was rejected, conflicting or failed, and every user
 * migrated with at least one note.
 *
 * @param id the user's {@code _id}
 * @param outcome what happened to the user (for a dry run: would happen): an {@link Outcome} code,
 *     or a {@link Finding} code of verify
 * @param reason the reject reason or the failure code, or null
 * @param notes the notes of its conversion
 * @param username the user's {@code username} when it is a string, or null
 */
public record ReportRow(
    BsonValue id, String outcome, String reason, Set<Note> notes, String username) {

  private static final JsonWriterSettings CANONICAL =
      JsonWriterSettings.builder().outputMode(JsonMode.EXTENDED).build();

  public ReportRow {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(outcome, "outcome");
    notes = Set.copyOf(notes);
  }

  /** The row of {@code user} as read. */
  static ReportRow of(BsonDocument user, String outcome, String reason, Set<Note> notes) {
    BsonValue username = user.get(Fields.USERNAME);
    return new ReportRow(
        user.get(Fields.ID),
        outcome,
        reason,
        notes,
        username != null && username.isString() ? username.asString().getValue() : null);
  }

  /**
   * One line of JSON: {@code _id} in canonical Extended JSON, then {@code outcome}, {@code reason}
   * where there is one, {@code notes} (in {@link Note} order) and {@code username} when present.
   */
  public String toJson() {
    BsonDocument row = new BsonDocument("_id", id).append("outcome", new BsonString(outcome));
    if (reason != null) {
      row.append("reason", new BsonString(reason));
    }
    BsonArray codes = new BsonArray();
    notes.stream().sorted().forEach(note -> codes.add(new BsonString(note.name())));
    row.append("notes", codes);
    if (username != null) {
      row.append("username", new BsonString(username));
    }
    return row.toJson(CANONICAL);
  }
}
