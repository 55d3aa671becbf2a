package app.achievements.embedded;

import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import de.bwaldvogel.mongo.backend.memory.MemoryCollection;
import de.bwaldvogel.mongo.backend.memory.MemoryDatabase;
import de.bwaldvogel.mongo.bson.Document;
import java.util.List;

/**
 * mongo-java-server's in-memory backend, with one fix: a filter that holds an {@code _id} equality
 * beside other conditions selects its documents through the {@code _id} index, as mongod does.
 *
 * <p>The stock server uses an index only when the whole filter is {@code {_id: v}}, so each of the
 * migration's guarded updates ({@code {_id: v, $expr: …, $or: …}}) scanned the whole collection,
 * and a migration took time quadratic in the number of users. The fix narrows the candidates to the
 * index's positions and then applies the whole filter to each, so what matches is unchanged.
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
    Collection(
        MongoDatabase database,
        String collectionName,
        CollectionOptions options,
        CursorRegistry cursorRegistry) {
      super(database, collectionName, options, cursorRegistry);
    }

    @Override
    protected QueryResult queryDocuments(
        Document query,
        Document orderBy,
        int numberToSkip,
        int limit,
        int batchSize,
        Document fieldSelector) {
      Document byId = idCondition(query);
      if (byId != null) {
        for (Index<Integer> index : getIndexes()) {
          if (index.canHandle(byId)) {
            return matchDocuments(
                query,
                index.getPositions(byId),
                orderBy,
                numberToSkip,
                limit,
                batchSize,
                fieldSelector);
          }
        }
      }
      return super.queryDocuments(query, orderBy, numberToSkip, limit, batchSize, fieldSelector);
    }

    /**
     * {@code {_id: <its condition>}} when the filter requires one, at its top level or in a
     * top-level {@code $and}; the index decides whether it can answer that condition.
     */
    private static Document idCondition(Document query) {
      String id = "_id";
      if (query.containsKey(id)) {
        return new Document(id, query.get(id));
      }
      if (query.get("$and") instanceof List<?> all) {
        for (Object condition : all) {
          if (condition instanceof Document document && document.containsKey(id)) {
            return new Document(id, document.get(id));
          }
        }
      }
      return null;
    }
  }
}
