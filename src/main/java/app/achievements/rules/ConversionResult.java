package app.achievements.rules;

import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.bson.BsonArray;
import org.bson.BsonDateTime;
import org.bson.BsonDocument;
import org.bson.BsonString;

/** What {@link Conversion} decided for one eligible user: migrate, or reject with one reason. */
public sealed interface ConversionResult {

  /**
   * The user gets one {@code {achievementId, unlockedAt}} entry for each of {@code ids}, in order,
   * all unlocked at {@code unlockedAt}; {@code notes} say what was dropped or derived, in {@link
   * Note} order. The array itself is derived ({@link #achievementsV2}): a run encodes it straight
   * from the ids and the instant, without a tree of documents per entry.
   */
  record Migrate(List<String> ids, BsonDateTime unlockedAt, Set<Note> notes)
      implements ConversionResult {
    public Migrate {
      ids = List.copyOf(ids);
      Objects.requireNonNull(unlockedAt, "unlockedAt");
      if (ids.isEmpty()) {
        throw new IllegalArgumentException("a migration writes at least one achievement");
      }
      EnumSet<Note> ordered = EnumSet.noneOf(Note.class);
      ordered.addAll(notes);
      notes = Collections.unmodifiableSet(ordered);
    }

    /** The new {@code achievements_v2}, as a tree. */
    public BsonArray achievementsV2() {
      BsonArray v2 = new BsonArray(ids.size());
      for (String id : ids) {
        v2.add(
            new BsonDocument(Conversion.ACHIEVEMENT_ID, new BsonString(id))
                .append(Conversion.UNLOCKED_AT, unlockedAt));
      }
      return v2;
    }
  }

  /** The user is reported and never written; it stays eligible for the next run. */
  record Reject(RejectReason reason) implements ConversionResult {
    public Reject {
      Objects.requireNonNull(reason, "reason");
    }
  }
}
