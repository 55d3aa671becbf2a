package app.achievements.store;

import app.achievements.rules.Fields;
import app.achievements.rules.Note;
import java.util.Objects;
import java.util.Set;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonValue;

/**
 * One user's migration write: the document as read, the {@code achievements_v2} to set, and the
 * notes of its conversion (counted once the write is done).
 */
public record PlannedWrite(BsonDocument read, BsonArray achievementsV2, Set<Note> notes) {
  public PlannedWrite {
    Objects.requireNonNull(read.get(Fields.ID), "read document has no _id");
    Objects.requireNonNull(achievementsV2, "achievementsV2");
    notes = Set.copyOf(notes);
  }

  public BsonValue id() {
    return read.get(Fields.ID);
  }
}
