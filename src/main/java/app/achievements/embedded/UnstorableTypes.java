package app.achievements.embedded;

import de.bwaldvogel.mongo.bson.Document;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code $type} conditions that name BSON types mongo-java-server cannot store (symbol, JavaScript,
 * JavaScript with scope, DBPointer, undefined). It knows no alias for them and refuses the whole
 * command; since it holds no such value, such a condition matches nothing here, exactly as on a
 * mongod that holds none. The tool names those types in what it sends to every server (its {@code
 * _id} brackets, its write guards): this lets the embedded server answer them. A test seam: the
 * commands are rewritten before the server sees them, and nothing else changes.
 */
final class UnstorableTypes {

  private static final Set<String> ALIASES =
      Set.of("symbol", "javascript", "javascriptWithScope", "dbPointer", "undefined");

  private static final Set<Integer> CODES = Set.of(14, 13, 15, 12, 6);

  private UnstorableTypes() {}

  /** The commands whose filters may name a type: the others are passed on as they are. */
  private static final Set<String> FILTERING =
      Set.of("find", "count", "aggregate", "update", "delete", "findandmodify", "distinct");

  /** Values that are documents to store or updates to apply, not filters: left alone. */
  private static final Set<String> NOT_FILTERS =
      Set.of("u", "update", "documents", "$expr", "$literal");

  /**
   * {@code command} ({@code name} in lower case) with those types left out of every {@code $type}
   * condition of its filters: one that names only such types matches nothing ({@code $in: []});
   * {@code command} itself when there is nothing to change.
   */
  static Document rewrite(String name, Document command) {
    if (!FILTERING.contains(name)) {
      return command;
    }
    Object rewritten = rewriteValue(command);
    return rewritten == command ? command : (Document) rewritten;
  }

  private static Object rewriteValue(Object value) {
    if (value instanceof Document document) {
      Document copy = null;
      for (Map.Entry<String, Object> entry : document.entrySet()) {
        String key = entry.getKey();
        Object original = entry.getValue();
        Object changed =
            NOT_FILTERS.contains(key)
                ? original
                : key.equals("$type") ? withoutUnstorable(original) : rewriteValue(original);
        if (changed != original) {
          if (copy == null) {
            copy = document.clone();
          }
          if (changed == NOTHING) {
            copy.remove(key);
            copy.put("$in", List.of());
          } else {
            copy.put(key, changed);
          }
        }
      }
      return copy == null ? document : copy;
    }
    if (value instanceof List<?> list) {
      List<Object> copy = null;
      for (int i = 0; i < list.size(); i++) {
        Object changed = rewriteValue(list.get(i));
        if (changed != list.get(i)) {
          if (copy == null) {
            copy = new ArrayList<>(list);
          }
          copy.set(i, changed);
        }
      }
      return copy == null ? list : copy;
    }
    return value;
  }

  /** Marks a {@code $type} that names no storable type: it becomes {@code $in: []}. */
  private static final Object NOTHING = new Object();

  private static Object withoutUnstorable(Object types) {
    if (types instanceof List<?> list) {
      List<Object> kept = new ArrayList<>();
      for (Object type : list) {
        if (!unstorable(type)) {
          kept.add(type);
        }
      }
      return kept.size() == list.size() ? types : kept.isEmpty() ? NOTHING : kept;
    }
    return unstorable(types) ? NOTHING : types;
  }

  private static boolean unstorable(Object type) {
    return type instanceof Number number
        ? CODES.contains(number.intValue())
        : ALIASES.contains(String.valueOf(type));
  }
}
