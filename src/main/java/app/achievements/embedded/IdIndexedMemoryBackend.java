package app.achievements.embedded;

import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.backend.ValueComparator;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import de.bwaldvogel.mongo.backend.memory.MemoryCollection;
import de.bwaldvogel.mongo.backend.memory.MemoryDatabase;
import de.bwaldvogel.mongo.bson.Document;
import io.netty.channel.Channel;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * mongo-java-server's in-memory backend, with one fix: a filter that holds an {@code _id} equality
 * beside other conditions selects its documents through the {@code _id} index, as mongod does.
 *
 * <p>The stock server uses an index only when the whole filter is {@code {_id: v}}, so each of the
 * migration's guarded updates ({@code {_id: v, $expr: …, $or: …}}) scanned the whole collection,
 * and a migration took time quadratic in the number of users. The fix narrows the candidates to the
 * index's positions and then applies the whole filter to each, so what matches is unchanged.
 *
 * <p>Likewise, a query sorted by {@code _id}, or one that names the {@code $type}s of its {@code
 * _id}, walks the documents in {@code _id} order from its {@code $gt}/{@code $gte} bound, over the
 * keys of those types only, and stops at its limit, as mongod's index scan does, instead of
 * matching (and sorting) the whole collection for every page. That walk follows mongod's order of
 * {@code _id}s, NaN first among the numbers ({@link #ID_ORDER}), and like mongod matches nothing
 * {@code $gt} NaN. And it answers {@code $type} conditions on the types it cannot store ({@link
 * UnstorableTypes}) instead of refusing the query, and {@code hello} as mongod does (with {@code
 * isMaster}'s answer and {@code isWritablePrimary}). These are test seams: the tool sends what it
 * sends to mongod.
 */
final class IdIndexedMemoryBackend extends MemoryBackend {

  @Override
  public Document handleCommand(
      Channel channel, String databaseName, String command, Document query) {
    if (command.equalsIgnoreCase("hello")) {
      // mongod's name for isMaster since 4.4 (mongo-java-server knows only the old one)
      Document response = super.handleCommand(channel, databaseName, "isMaster", query);
      response.put("isWritablePrimary", Boolean.TRUE);
      return response;
    }
    return super.handleCommand(
        channel,
        databaseName,
        command,
        UnstorableTypes.rewrite(command.toLowerCase(Locale.ROOT), query));
  }

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

  /**
   * mongod's order of {@code _id}s: the server's own, except that NaN (double or decimal) sorts
   * before every other number, as in mongod (mongo-java-server puts it after them, and compares it
   * with a long as 0).
   */
  static final Comparator<Object> ID_ORDER =
      (a, b) -> {
        boolean aIsNaN = isNaN(a);
        boolean bIsNaN = isNaN(b);
        if (aIsNaN && bIsNaN) {
          return 0;
        }
        if (aIsNaN && b instanceof Number) {
          return -1;
        }
        if (bIsNaN && a instanceof Number) {
          return 1;
        }
        return ValueComparator.asc().compare(a, b);
      };

  static boolean isNaN(Object value) {
    return value instanceof Number number && Double.isNaN(number.doubleValue());
  }

  private static final class Collection extends MemoryCollection {

    private static final String ID = "_id";

    /** Positions in {@code _id} order: what mongod's {@code _id} index gives range scans. */
    private final NavigableMap<Object, Integer> byId = new TreeMap<>(ID_ORDER);

    /**
     * One key of each Java class in {@link #byId} (null under {@code Void}), with how many there
     * are: a walk for types that none of them has is empty, without walking the whole index.
     */
    private final Map<Class<?>, Object> keyOfClass = new HashMap<>();

    private final Map<Class<?>, Integer> keysOfClass = new HashMap<>();

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
      Object key = document.get(ID);
      byId.put(key, position);
      keyOfClass.putIfAbsent(classOf(key), key);
      keysOfClass.merge(classOf(key), 1, Integer::sum);
      return position;
    }

    @Override
    protected void removeDocument(Integer position) {
      Object key = getDocument(position).get(ID);
      byId.remove(key);
      if (keysOfClass.merge(classOf(key), -1, Integer::sum) == 0) {
        keysOfClass.remove(classOf(key));
        keyOfClass.remove(classOf(key));
      }
      super.removeDocument(position);
    }

    private static Class<?> classOf(Object key) {
      return key == null ? Void.class : key.getClass();
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
      boolean inIdOrder = orderBy != null && orderBy.equals(new Document(ID, 1));
      IdTypeWalk walk = IdTypeWalk.of(query);
      if (!inIdOrder && walk == null) {
        return super.queryDocuments(query, orderBy, numberToSkip, limit, batchSize, fieldSelector);
      }
      // Walk the documents in _id order from the lower bound, if any, over the keys of the
      // required _id types only: nothing needs sorting, the walk stops at the limit, and no
      // document of another type is matched. The walk decides the $type condition, so the
      // matcher is given the rest of the filter.
      NavigableMap<Object, Integer> range = byId;
      for (Object condition : idConditions) {
        if (condition instanceof Document bounds) {
          if (bounds.containsKey("$gt")) {
            Object bound = bounds.get("$gt");
            // as mongod: nothing is greater than NaN, though NaN sorts before every number
            range = isNaN(bound) ? Collections.emptyNavigableMap() : range.tailMap(bound, false);
          } else if (bounds.containsKey("$gte")) {
            Object bound = bounds.get("$gte");
            range =
                isNaN(bound) ? range.subMap(bound, true, bound, true) : range.tailMap(bound, true);
          }
        }
      }
      if (walk == null) {
        walk = IdTypeWalk.any(query);
      } else if (keyOfClass.values().stream().noneMatch(walk::accepts)) {
        range = Collections.emptyNavigableMap(); // no key of the wanted types at all
      }
      return matchDocuments(
          walk.rest(),
          walk.positions(range),
          inIdOrder ? null : orderBy,
          numberToSkip,
          limit,
          batchSize,
          fieldSelector);
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
