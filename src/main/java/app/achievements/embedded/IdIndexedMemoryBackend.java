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
import de.bwaldvogel.mongo.bson.BinData;
import de.bwaldvogel.mongo.bson.Decimal128;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.bson.LegacyUUID;
import io.netty.channel.Channel;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.BiConsumer;
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
 * <p>Likewise, a query sorted by {@code _id}, or one that names the {@code $type}s of its {@code
 * _id}, walks the documents in {@code _id} order from its {@code $gt}/{@code $gte} bound, over the
 * keys of those types only, and stops at its limit, as mongod's index scan does, instead of
 * matching (and sorting) the whole collection for every page. That walk follows mongod's order of
 * {@code _id}s, NaN first among the numbers ({@link #ID_ORDER}), and like mongod matches nothing
 * {@code $gt} NaN. And it answers {@code $type} conditions on the types it cannot store ({@link
 * UnstorableTypes}) instead of refusing the query, and {@code hello} as mongod does (with {@code
 * isMaster}'s answer and {@code isWritablePrimary}), and {@code replSetGetStatus} and {@code
 * replSetGetConfig} as a standalone does, or as a replica set with the lag a test sets ({@link
 * SimulatedReplicaSet}). These are test seams: the tool sends what it sends to mongod.
 */
final class IdIndexedMemoryBackend extends MemoryBackend {

  private SimulatedReplicaSet replication;
  private volatile BiConsumer<String, Object> commands = (name, comment) -> {};

  /**
   * Who hears the name and the {@code comment} (null if none) of every command this server
   * receives: a test seam, to prove what the tool sends.
   */
  void onCommand(BiConsumer<String, Object> commands) {
    this.commands = commands;
  }

  /** What this server says of its replication: a test seam ({@link SimulatedReplicaSet}). */
  synchronized SimulatedReplicaSet replication(String primary) {
    if (replication == null) {
      replication = new SimulatedReplicaSet(primary, Clock.systemUTC());
    }
    return replication;
  }

  @Override
  public Document handleCommand(
      Channel channel, String databaseName, String command, Document query) {
    commands.accept(command, query.get("comment"));
    if (command.equalsIgnoreCase("replSetGetStatus")) {
      return replication("127.0.0.1:0").status();
    }
    if (command.equalsIgnoreCase("replSetGetConfig")) {
      return replication("127.0.0.1:0").config();
    }
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
   * mongod's order of {@code _id}s, a total order: numbers by exact value whatever their types, NaN
   * before every other (mongo-java-server puts it after them, and compares a long with a double
   * through a long, so that Infinity and the largest long were one key); binary data by length,
   * subtype, then bytes; everything else as the server orders it.
   */
  static final Comparator<Object> ID_ORDER =
      (a, b) -> {
        if (a instanceof Number x && b instanceof Number y) {
          return compareNumbers(x, y);
        }
        Binary left = Binary.of(a);
        Binary right = Binary.of(b);
        if (left != null && right != null) {
          return left.compareTo(right);
        }
        return ValueComparator.asc().compare(a, b);
      };

  /** The comparison bracket of an {@code _id}: values of different brackets never compare. */
  static String bracketOf(Object value) {
    if (value == null) {
      return "null";
    }
    if (value instanceof Number) {
      return "number";
    }
    if (Binary.of(value) != null) {
      return "binary";
    }
    return value.getClass().getName();
  }

  static boolean isNaN(Object value) {
    return value instanceof Number number && Double.isNaN(number.doubleValue());
  }

  private static int compareNumbers(Number a, Number b) {
    int rank = Integer.compare(rank(a), rank(b));
    if (rank != 0 || rank(a) != 2) {
      return rank; // NaN, -Infinity, finite, +Infinity
    }
    return exact(a).compareTo(exact(b));
  }

  /** 0 NaN, 1 -Infinity, 2 finite, 3 +Infinity. */
  private static int rank(Number number) {
    double value = number.doubleValue();
    if (Double.isNaN(value)) {
      return 0;
    }
    if (value == Double.NEGATIVE_INFINITY) {
      return 1;
    }
    return value == Double.POSITIVE_INFINITY ? 3 : 2;
  }

  private static BigDecimal exact(Number number) {
    if (number instanceof Integer || number instanceof Long) {
      return BigDecimal.valueOf(number.longValue());
    }
    if (number instanceof Decimal128 decimal) {
      return decimal.toBigDecimal();
    }
    return new BigDecimal(number.doubleValue());
  }

  /** Binary data as mongod orders it: length, then subtype, then the bytes unsigned. */
  private record Binary(int subtype, byte[] bytes) implements Comparable<Binary> {
    static Binary of(Object value) {
      if (value instanceof BinData data) {
        return new Binary(0, data.getData());
      }
      if (value instanceof UUID uuid) {
        return new Binary(4, bytes(uuid));
      }
      if (value instanceof LegacyUUID legacy) {
        return new Binary(3, bytes(legacy.getUuid()));
      }
      return null;
    }

    private static byte[] bytes(UUID uuid) {
      return ByteBuffer.allocate(16)
          .putLong(uuid.getMostSignificantBits())
          .putLong(uuid.getLeastSignificantBits())
          .array();
    }

    @Override
    public int compareTo(Binary other) {
      int order = Integer.compare(bytes.length, other.bytes.length);
      if (order == 0) {
        order = Integer.compare(subtype, other.subtype);
      }
      return order != 0 ? order : Arrays.compareUnsigned(bytes, other.bytes);
    }
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
      Predicate<Object> within = key -> true;
      for (Object condition : idConditions) {
        if (condition instanceof Document bounds) {
          if (bounds.containsKey("$gt") || bounds.containsKey("$gte")) {
            // like mongod's, a bound matches ids of its own bracket only
            String bracket =
                bracketOf(bounds.containsKey("$gt") ? bounds.get("$gt") : bounds.get("$gte"));
            within = key -> bracketOf(key).equals(bracket);
          }
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
      // The range was taken in ID_ORDER: the matcher, whose order differs for some values, is not
      // asked again about the bounds.
      return matchDocuments(
          withoutIdBounds(walk.rest()),
          walk.positions(range, within),
          inIdOrder ? null : orderBy,
          numberToSkip,
          limit,
          batchSize,
          fieldSelector);
    }

    /**
     * {@code query} without its {@code {_id: {$gt: v}}} and {@code {_id: {$gte: v}}} conditions (at
     * the top level, or alone in an element of a top-level {@code $and}): the walk's range decides
     * them.
     */
    private static Document withoutIdBounds(Document query) {
      Document rest = query;
      if (isBoundOnly(query.get(ID))) {
        rest = query.clone();
        rest.remove(ID);
      }
      if (rest.get("$and") instanceof List<?> all) {
        List<Object> kept = new ArrayList<>();
        for (Object condition : all) {
          if (!(condition instanceof Document document
              && document.size() == 1
              && isBoundOnly(document.get(ID)))) {
            kept.add(condition);
          }
        }
        if (kept.size() != all.size()) {
          rest = rest == query ? query.clone() : rest;
          if (kept.isEmpty()) {
            rest.remove("$and");
          } else {
            rest.put("$and", kept);
          }
        }
      }
      return rest;
    }

    private static boolean isBoundOnly(Object condition) {
      return condition instanceof Document bounds
          && bounds.size() == 1
          && (bounds.containsKey("$gt") || bounds.containsKey("$gte"));
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
