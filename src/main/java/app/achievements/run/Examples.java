package app.achievements.run;

import app.achievements.rules.ConversionResult;
import app.achievements.rules.Note;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.bson.BsonDocument;

/**
 * A few before → after examples, chosen so that each one shows something the others do not: a plain
 * migration, each note, each reject reason, first come first kept. A user too large to read on a
 * screen (past {@link #MAX_WEIGHT} in memory) is never kept.
 */
final class Examples {

  /** One user as read and what the conversion made of it. */
  record Example(BsonDocument before, ConversionResult after) {}

  /** The most memory one example may take: a user that shows its conversion on a screen. */
  static final long MAX_WEIGHT = 256 * 1024;

  private final int capacity;
  private final Set<String> kindsSeen = new HashSet<>();
  private final List<Example> novel = new ArrayList<>();
  private final List<Example> others = new ArrayList<>();

  Examples(int capacity) {
    this.capacity = capacity;
  }

  void offer(BsonDocument before, ConversionResult after) {
    if (MigrationOptions.weight(before, after) > MAX_WEIGHT) {
      return; // kept till the end of the run, outside the buffer: no user of megabytes
    }
    List<String> kinds = kinds(after);
    if (novel.size() < capacity && !kindsSeen.containsAll(kinds)) {
      kindsSeen.addAll(kinds);
      novel.add(new Example(before, after));
    } else if (others.size() < capacity) {
      others.add(new Example(before, after));
    }
  }

  List<Example> examples() {
    List<Example> chosen = new ArrayList<>(novel);
    others.stream().limit(capacity - chosen.size()).forEach(chosen::add);
    return List.copyOf(chosen);
  }

  private static List<String> kinds(ConversionResult result) {
    if (result instanceof ConversionResult.Reject reject) {
      return List.of(reject.reason().name());
    }
    ConversionResult.Migrate migrate = (ConversionResult.Migrate) result;
    if (migrate.notes().isEmpty()) {
      return List.of("plain");
    }
    return migrate.notes().stream().map(Note::name).toList();
  }
}
