package app.achievements.store;

import app.achievements.rules.ConversionResult.Migrate;
import app.achievements.rules.Fields;
import app.achievements.rules.Note;
import java.util.Objects;
import java.util.Set;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonValue;

/**
 * One user's write: the document as read, its {@code _id}, and for a migration its conversion (the
 * {@code achievements_v2} to set and the notes counted once the write is done); for a rollback's
 * removal of {@code achievements_v2}, no conversion.
 */
public record PlannedWrite(BsonDocument read, BsonValue id, Migrate migration) {
  public PlannedWrite {
    Objects.requireNonNull(read, "read");
    Objects.requireNonNull(id, "read document has no _id");
  }

  /**
   * The migration of {@code read} to {@code migration}; {@code id} is its {@code _id}, passed in
   * where the run decoded it already (a raw document decodes it again on every {@code get}).
   */
  public static PlannedWrite migration(BsonDocument read, BsonValue id, Migrate migration) {
    return new PlannedWrite(read, id, Objects.requireNonNull(migration, "migration"));
  }

  /** As above, reading the {@code _id} out of {@code read}. */
  public static PlannedWrite migration(BsonDocument read, Migrate migration) {
    return migration(read, read.get(Fields.ID), migration);
  }

  /** The removal of the {@code achievements_v2} that {@code read} holds (a rollback). */
  public static PlannedWrite removal(BsonDocument read) {
    return new PlannedWrite(read, read.get(Fields.ID), null);
  }

  /** The array a migration sets, or for a removal the one it removes (empty if none was read). */
  public BsonArray achievementsV2() {
    if (migration != null) {
      return migration.achievementsV2();
    }
    BsonValue v2 = read.get(Fields.ACHIEVEMENTS_V2);
    return v2 != null && v2.isArray() ? v2.asArray() : new BsonArray();
  }

  /** What the conversion dropped or derived; none for a removal. */
  public Set<Note> notes() {
    return migration == null ? Set.of() : migration.notes();
  }
}
