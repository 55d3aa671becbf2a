package app.achievements.embedded;

import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.BsonType;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.backend.ValueComparator;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import de.bwaldvogel.mongo.backend.memory.MemoryCollection;
import de.bwaldvogel.mongo.backend.memory.MemoryDatabase;
import de.bwaldvogel.mongo.bson.Document;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * mongo-java-server's in-memory backend, with one fix: a filter that holds an {@code _id} equality
 * beside other conditions selects its documents through the {@code _id} index, as mongod does.
 *
 * <p>The stock server uses an index only when the whole filter is {@code {_id: v}}, so each of the
 * migration's guarded updates ({@code {_id: v, $expr: …, $or: …}}) scanned the whole collection,
 * and a migration took time quadratic in the number of users. The fix narrows the candidates to the
 * index's positions and then applies the whole filter to each, so what matches is unchanged.
 *
 * <p>Likewise, a query sorted by {@code _id} walks the documents in {@code _id} order from its
 * {@code $gt}/{@code $gte} bound, over the keys of its {@code _id} {@code $type} only, and stops at
 * its limit, as mongod's index scan does, instead of matching and sorting the whole collection for
 * every page.
 */
final class IdIndexedMemoryBackend extends MemoryBackend {

  @Override
  public MemoryDatabase openOrCreateDatabase(String databaseName) {
    return new Database(databaseName, getCursorRegistry());
  }

  private static final class Database extends MemoryDatabase {
    Database(String databaseName, CursorRegistry cursorRegistry) {
      super(databaseName, cursorRegistry);
    }

    @Override
    protected MemoryCollection openOrCreateCollection(
        String collectionName, CollectionOptions options) {
      return new Collection(this, collectionName, options, cursorRegistry);
    }
  }

  private static final class Collection extends MemoryCollection {

    private static final String ID = "_id";

    /** Positions in {@code _id} order: what mongod's {@code _id} index gives range scans. */
    private final NavigableMap<Object, Integer> byId = new TreeMap<>(ValueComparator.asc());

    Collection(
        MongoDatabase database,
        String collectionName,
        CollectionOptions options,
        CursorRegistry cursorRegistry) {
      super(database, collectionName, options, cursorRegistry);
    }

    @Override
    protected Integer addDocumentInternal(Document document) {
      Integer position = super.addDocumentInternal(document);
      byId.put(document.get(ID), position);
      return position;
    }

    @Override
    protected void removeDocument(Integer position) {
      byId.remove(getDocument(position).get(ID));
      super.removeDocument(position);
    }

    @Override
    protected QueryResult queryDocuments(
        Document query,
        Document orderBy,
        int numberToSkip,
        int limit,
        int batchSize,
        Document fieldSelector) {
      List<Object> idConditions = idConditions(query);
      for (Object condition : idConditions) {
        Document byIdOnly = new Document(ID, condition);
        for (Index<Integer> index : getIndexes()) {
          if (index.canHandle(byIdOnly)) {
            return matchDocuments(
                query,
                index.getPositions(byIdOnly),
                orderBy,
                numberToSkip,
                limit,
                batchSize,
                fieldSelector);
          }
        }
      }
      if (orderBy != null && orderBy.equals(new Document(ID, 1))) {
        // Walk the documents in _id order from the lower bound, if any, over the keys of the
        // required types only (a type's keys are contiguous in that order): the stream stops at
        // the limit, nothing needs sorting, and no document of another type is matched.
        NavigableMap<Object, Integer> range = byId;
        Predicate<Object> type = key -> true;
        for (Object condition : idConditions) {
          if (condition instanceof Document bounds) {
            if (bounds.containsKey("$gt")) {
              range = range.tailMap(bounds.get("$gt"), false);
            } else if (bounds.containsKey("$gte")) {
              range = range.tailMap(bounds.get("$gte"), true);
            }
            if (bounds.containsKey("$type")) {
              type = types(bounds.get("$type"));
            }
          }
        }
        return matchDocuments(
            query, ofType(range, type), null, numberToSkip, limit, batchSize, fieldSelector);
      }
      return super.queryDocuments(query, orderBy, numberToSkip, limit, batchSize, fieldSelector);
    }

    /** The positions of {@code range} whose keys pass {@code type}, in order, lazily. */
    private static Iterable<Integer> ofType(
        NavigableMap<Object, Integer> range, Predicate<Object> type) {
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
              if (type.test(entry.getKey())) {
                seen = true;
                next = entry.getValue();
              } else if (seen) {
                done = true; // past the keys of the wanted types
              }
            }
            return next != null;
          }

          @Override
          public Integer next() {
            if (!hasNext()) {
              throw new java.util.NoSuchElementException();
            }
            Integer position = next;
            next = null;
            return position;
          }
        };
      };
    }

    /** A {@code $type} condition (an alias, a number or a list of them) as a test of a key. */
    private static Predicate<Object> types(Object condition) {
      List<BsonType> types = new ArrayList<>();
      for (Object type : condition instanceof List<?> list ? list : List.of(condition)) {
        types.add(
            type instanceof Number number
                ? BsonType.forNumber(number)
                : BsonType.forString(type.toString()));
      }
      return key -> types.stream().anyMatch(t -> t.matches(key));
    }

    /** The conditions on {@code _id} at the filter's top level and in a top-level {@code $and}. */
    private static List<Object> idConditions(Document query) {
      List<Object> conditions = new ArrayList<>();
      if (query.containsKey(ID)) {
        conditions.add(query.get(ID));
      }
      if (query.get("$and") instanceof List<?> all) {
        for (Object condition : all) {
          if (condition instanceof Document document && document.containsKey(ID)) {
            conditions.add(document.get(ID));
          }
        }
      }
      return conditions;
    }
  }
}
