package app.achievements.rules;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import org.bson.BsonArray;

/** What {@link Conversion} decided for one eligible user: migrate, or reject with one reason. */
public sealed interface ConversionResult {

  /**
   * The user gets {@code achievementsV2}; {@code notes} say what was dropped or derived, in {@link
   * Note} order.
   */
  record Migrate(BsonArray achievementsV2, Set<Note> notes) implements ConversionResult {
    public Migrate {
      Objects.requireNonNull(achievementsV2, "achievementsV2");
      if (achievementsV2.isEmpty()) {
        throw new IllegalArgumentException("a migration writes at least one achievement");
      }
      EnumSet<Note> ordered = EnumSet.noneOf(Note.class);
      ordered.addAll(notes);
      notes = Collections.unmodifiableSet(ordered);
    }
  }

  /** The user is reported and never written; it stays eligible for the next run. */
  record Reject(RejectReason reason) implements ConversionResult {
    public Reject {
      Objects.requireNonNull(reason, "reason");
    }
  }
}
