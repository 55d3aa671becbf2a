package app.achievements.embedded;

import de.bwaldvogel.mongo.backend.BsonType;
import de.bwaldvogel.mongo.bson.Document;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NoSuchElementException;
import java.util.function.Predicate;

/**
 * The {@code _id} types a query asks for, as a walk over the {@code _id} index: a top-level {@code
 * {_id: {$type: [...]}}} (or its {@code $not}) in the filter or its {@code $and}. The walk tests
 * each key's type once per Java class (what {@link BsonType#matches} depends on), and the rest of
 * the filter is left to the query matcher.
 */
final class IdTypeWalk {

  private static final String ID = "_id";

  private final List<BsonType> types;
  private final boolean negated;
  private final Document rest;
  private final Map<Class<?>, Boolean> byClass = new IdentityHashMap<>();

  /** Whether the keys of the types are contiguous in the index: the types of one bracket. */
  private final boolean contiguous;

  private IdTypeWalk(List<BsonType> types, boolean negated, Document rest) {
    this.types = types;
    this.negated = negated;
    this.rest = rest;
    this.contiguous =
        types != null
            && !negated
            && types.stream().map(IdTypeWalk::bracket).distinct().count() == 1;
  }

  /** The sort bracket of {@code type}: the numbers share one, every other type has its own. */
  private static String bracket(BsonType type) {
    return switch (type) {
      case DOUBLE, INT, LONG, DECIMAL128 -> "number";
      default -> type.name();
    };
  }

  /** Every key: the walk of a query that names no {@code _id} type. */
  static IdTypeWalk any(Document query) {
    return new IdTypeWalk(null, false, query);
  }

  /** The walk of the {@code _id} type condition of {@code query}, or null if it has none. */
  static IdTypeWalk of(Document query) {
    IdTypeWalk top = typeCondition(query.get(ID));
    if (top != null) {
      Document rest = query.clone();
      rest.remove(ID);
      return new IdTypeWalk(top.types, top.negated, rest);
    }
    if (query.get("$and") instanceof List<?> all) {
      for (int i = 0; i < all.size(); i++) {
        IdTypeWalk found =
            all.get(i) instanceof Document element && element.size() == 1
                ? typeCondition(element.get(ID))
                : null;
        if (found != null) {
          List<Object> others = new ArrayList<>(all);
          others.remove(i);
          Document rest = query.clone();
          if (others.isEmpty()) {
            rest.remove("$and");
          } else {
            rest.put("$and", others);
          }
          return new IdTypeWalk(found.types, found.negated, rest);
        }
      }
    }
    return null;
  }

  /** {@code {$type: t}} or {@code {$not: {$type: t}}} as a walk, else null. */
  private static IdTypeWalk typeCondition(Object condition) {
    if (!(condition instanceof Document document) || document.size() != 1) {
      return null;
    }
    if (document.containsKey("$type")) {
      return new IdTypeWalk(types(document.get("$type")), false, null);
    }
    if (document.get("$not") instanceof Document not
        && not.size() == 1
        && not.containsKey("$type")) {
      return new IdTypeWalk(types(not.get("$type")), true, null);
    }
    return null;
  }

  private static List<BsonType> types(Object condition) {
    List<BsonType> types = new ArrayList<>();
    for (Object type : condition instanceof List<?> list ? list : List.of(condition)) {
      types.add(
          type instanceof Number number
              ? BsonType.forNumber(number)
              : BsonType.forString(type.toString()));
    }
    return types;
  }

  /** The filter without the condition this walk decides. */
  Document rest() {
    return rest;
  }

  /** Whether a key of {@code key}'s type is one the walk goes over. */
  boolean accepts(Object key) {
    if (types == null) {
      return true;
    }
    if (key == null) {
      return negated != types.contains(BsonType.NULL);
    }
    return byClass.computeIfAbsent(
        key.getClass(), type -> negated != types.stream().anyMatch(t -> t.matches(key)));
  }

  /**
   * The positions of {@code range}'s accepted keys, in order, lazily. The keys of the types of one
   * bracket are contiguous in that order, so a walk for them stops after the last of them; one for
   * the types of several brackets, or for the absence of types, goes on to the end.
   */
  Iterable<Integer> positions(NavigableMap<Object, Integer> range) {
    return positions(range, key -> true);
  }

  /**
   * As above, ending at the first key that is not {@code within} (keys of a bracket are
   * contiguous).
   */
  Iterable<Integer> positions(NavigableMap<Object, Integer> range, Predicate<Object> within) {
    return () -> {
      Iterator<Map.Entry<Object, Integer>> entries = range.entrySet().iterator();
      return new Iterator<>() {
        private Integer next;
        private boolean seen;
        private boolean done;

        @Override
        public boolean hasNext() {
          while (next == null && !done && entries.hasNext()) {
            Map.Entry<Object, Integer> entry = entries.next();
            if (!within.test(entry.getKey())) {
              done = true; // past the bound's bracket
            } else if (accepts(entry.getKey())) {
              seen = true;
              next = entry.getValue();
            } else if (seen && contiguous) {
              done = true; // past the keys of the wanted bracket
            }
          }
          return next != null;
        }

        @Override
        public Integer next() {
          if (!hasNext()) {
            throw new NoSuchElementException();
          }
          Integer position = next;
          next = null;
          return position;
        }
      };
    };
  }
}
