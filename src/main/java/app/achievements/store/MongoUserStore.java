package app.achievements.store;

import app.achievements.rules.Fields;
import com.mongodb.MongoBulkWriteException;
import com.mongodb.ReadPreference;
import com.mongodb.bulk.BulkWriteError;
import com.mongodb.bulk.BulkWriteResult;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.Collation;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.UpdateOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BiPredicate;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import org.bson.BsonDocument;
import org.bson.BsonMaximumSizeExceededException;
import org.bson.BsonSerializationException;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.codecs.configuration.CodecConfigurationException;
import org.bson.conversions.Bson;

/**
 * The users collection on a MongoDB server. Writes are unordered bulk writes of {@code UpdateOne}
 * models only, each guarded by {@link WriteGuard}, so one refused document never stops its batch
 * and every write is retryable where the server supports retryable writes.
 */
public final class MongoUserStore implements UserStore {

  /**
   * The simple (binary) collation, stated on every statement that decides a write: the guard's
   * {@code $eq}, the eligibility filter and the read-backs compare strings byte for byte whatever
   * the collection's default collation (a case-insensitive one would let a write built from stale
   * ids through).
   */
  static final Collation SIMPLE = Collation.builder().locale("simple").build();

  private static final UpdateOptions EXACT_UPDATE = new UpdateOptions().collation(SIMPLE);

  /** Shared by every removal; nothing modifies it. */
  private static final BsonDocument UNSET_V2 =
      new BsonDocument("$unset", new BsonDocument(Fields.ACHIEVEMENTS_V2, new BsonString("")));

  /** The most BSON a page of verify holds: it keeps one page at a time. */
  static final long ALL_PAGE_BYTES = 16L * 1024 * 1024;

  /** The server-side time limit of a read when none is given. */
  public static final Duration DEFAULT_OPERATION_TIMEOUT = Duration.ofSeconds(30);

  private final MongoCollection<BsonDocument> users;
  private final Duration operationTimeout;
  private final ShardKey shardKey;
  private final Bson projection;
  private final String comment;
  private final BulkWriteOptions unordered;

  /** The store of {@code users}, its reads limited to {@link #DEFAULT_OPERATION_TIMEOUT}. */
  public MongoUserStore(MongoCollection<BsonDocument> users) {
    this(users, DEFAULT_OPERATION_TIMEOUT);
  }

  /** The store of an unsharded {@code users}. */
  public MongoUserStore(MongoCollection<BsonDocument> users, Duration operationTimeout) {
    this(users, operationTimeout, ShardKey.NONE, "achievements-migrate");
  }

  /**
   * The store of {@code users}. Every read goes to the primary, whatever the connection string
   * says: a lagging secondary would show a user just migrated as not migrated yet; and every read
   * carries {@code maxTimeMS} of {@code operationTimeout}, so the server gives up on it too. The
   * fields of {@code shardKey} are read with each user and required by its guarded write. Every
   * command carries {@code comment} (the run's), for {@code currentOp} and the profiler.
   */
  public MongoUserStore(
      MongoCollection<BsonDocument> users,
      Duration operationTimeout,
      ShardKey shardKey,
      String comment) {
    this.users = users.withReadPreference(ReadPreference.primary());
    this.operationTimeout = operationTimeout;
    this.shardKey = shardKey;
    this.comment = comment;
    this.unordered = new BulkWriteOptions().ordered(false).comment(comment);
    List<String> fields = new ArrayList<>(UserQueries.fieldsRead());
    fields.addAll(shardKey.fields());
    this.projection = Projections.include(fields);
  }

  @Override
  public String namespace() {
    return users.getNamespace().getFullName();
  }

  @Override
  public Iterator<List<BsonDocument>> candidatePages(IntSupplier pageSize) {
    return candidatePages(pageSize, () -> Long.MAX_VALUE);
  }

  @Override
  public Iterator<List<BsonDocument>> candidatePages(IntSupplier pageSize, LongSupplier pageBytes) {
    return new IdOrderPages(
        users,
        UserQueries.candidateFilter(),
        projection,
        pageSize,
        pageBytes,
        operationTimeout,
        comment);
  }

  @Override
  public Iterator<List<BsonDocument>> allPages(int pageSize) {
    return new IdOrderPages(
        users,
        new BsonDocument(),
        projection,
        () -> pageSize,
        () -> ALL_PAGE_BYTES,
        operationTimeout,
        comment);
  }

  @Override
  public Iterator<List<BsonDocument>> migratedPages(IntSupplier pageSize) {
    return migratedPages(pageSize, () -> Long.MAX_VALUE);
  }

  @Override
  public Iterator<List<BsonDocument>> migratedPages(IntSupplier pageSize, LongSupplier pageBytes) {
    return new IdOrderPages(
        users,
        Filters.exists(Fields.ACHIEVEMENTS_V2),
        projection,
        pageSize,
        pageBytes,
        operationTimeout,
        comment);
  }

  @Override
  public BatchResult removeV2(List<PlannedWrite> removals) {
    List<UpdateOneModel<BsonDocument>> models = new ArrayList<>(removals.size());
    for (PlannedWrite removal : removals) {
      models.add(
          new UpdateOneModel<>(
              WriteGuard.migratedAsRead(removal.read(), shardKey), UNSET_V2, EXACT_UPDATE));
    }
    return bulkWrite(
        removals,
        models,
        (removal, now) -> now != null && !now.containsKey(Fields.ACHIEVEMENTS_V2));
  }

  @Override
  public List<BsonDocument> reread(List<BsonValue> ids) {
    if (ids.isEmpty()) {
      return List.of();
    }
    return users
        .find(Filters.in(Fields.ID, ids))
        .collation(SIMPLE)
        .projection(projection)
        .maxTime(operationTimeout.toMillis(), TimeUnit.MILLISECONDS)
        .comment(comment)
        .into(new ArrayList<>(ids.size()));
  }

  @Override
  public BatchResult write(List<PlannedWrite> writes) {
    return bulkWrite(
        writes,
        updates(writes, shardKey),
        (write, now) ->
            now != null && write.achievementsV2().equals(now.get(Fields.ACHIEVEMENTS_V2)));
  }

  /**
   * The updates that {@link #write} sends for {@code writes}, one guarded {@code UpdateOne} each;
   * public so that the benchmark can build them ahead and time the bulk writes alone.
   */
  public static List<UpdateOneModel<BsonDocument>> updates(List<PlannedWrite> writes) {
    return updates(writes, ShardKey.NONE);
  }

  /** As above, for a collection sharded on {@code shardKey}. */
  static List<UpdateOneModel<BsonDocument>> updates(List<PlannedWrite> writes, ShardKey shardKey) {
    List<UpdateOneModel<BsonDocument>> models = new ArrayList<>(writes.size());
    for (PlannedWrite write : writes) {
      EncodedWrite.Statement encoded = EncodedWrite.of(write, shardKey);
      if (encoded != null) {
        models.add(new UpdateOneModel<>(encoded.filter(), encoded.update(), EXACT_UPDATE));
        continue;
      }
      models.add(
          new UpdateOneModel<>(
              WriteGuard.unchangedSince(write.read(), shardKey),
              new BsonDocument(
                  "$set", new BsonDocument(Fields.ACHIEVEMENTS_V2, write.achievementsV2())),
              EXACT_UPDATE));
    }
    return models;
  }

  /**
   * Runs {@code models} (one per write) as one unordered bulk write. Guarded updates that matched
   * nothing are found by reading the users back (a bulk write result does not say which): {@code
   * done} tells from a user as it is now (null if gone) whether its write was applied; the others
   * were changed by someone else after they were read, conflicts.
   *
   * <p>One user never stops the batch: a statement past the server's size limit is not sent ({@link
   * StatementSize}), and should the driver refuse the batch for one statement all the same (an
   * exception of the client, before that statement was sent), each write is sent alone and only the
   * ones refused again fail. Users already written by then no longer match their guards, and
   * reading back counts them as written.
   */
  private BatchResult bulkWrite(
      List<PlannedWrite> writes,
      List<UpdateOneModel<BsonDocument>> models,
      BiPredicate<PlannedWrite, BsonDocument> done) {
    List<BatchResult.Failure> failures = new ArrayList<>();
    List<PlannedWrite> sendable = new ArrayList<>(writes.size());
    List<UpdateOneModel<BsonDocument>> statements = new ArrayList<>(writes.size());
    for (int i = 0; i < writes.size(); i++) {
      String tooLarge = StatementSize.tooLarge(writes.get(i), models.get(i));
      if (tooLarge != null) {
        failures.add(new BatchResult.Failure(writes.get(i), DOCUMENT_TOO_LARGE, tooLarge));
      } else {
        sendable.add(writes.get(i));
        statements.add(models.get(i));
      }
    }
    try {
      return send(sendable, statements, done).withFailures(failures);
    } catch (BsonSerializationException
        | CodecConfigurationException
        | IllegalArgumentException e) {
      List<PlannedWrite> applied = new ArrayList<>();
      List<PlannedWrite> conflicts = new ArrayList<>();
      for (int i = 0; i < sendable.size(); i++) {
        try {
          BatchResult alone = send(List.of(sendable.get(i)), List.of(statements.get(i)), done);
          applied.addAll(alone.applied());
          conflicts.addAll(alone.conflicts());
          failures.addAll(alone.failures());
        } catch (BsonSerializationException
            | CodecConfigurationException
            | IllegalArgumentException refused) {
          failures.add(
              new BatchResult.Failure(
                  sendable.get(i), clientCode(refused), firstLine(refused.getMessage())));
        }
      }
      return new BatchResult(applied, conflicts, failures);
    }
  }

  /** Sends {@code models} in one unordered bulk write; see {@link #bulkWrite}. */
  private BatchResult send(
      List<PlannedWrite> writes,
      List<UpdateOneModel<BsonDocument>> models,
      BiPredicate<PlannedWrite, BsonDocument> done) {
    if (writes.isEmpty()) {
      return new BatchResult(List.of(), List.of(), List.of());
    }
    BulkWriteResult result;
    List<BatchResult.Failure> failures = new ArrayList<>();
    Set<Integer> failed = new HashSet<>();
    try {
      result = users.bulkWrite(models, unordered);
    } catch (MongoBulkWriteException e) {
      if (e.getWriteConcernError() != null) {
        throw e; // the writes may or may not be durable: not a per-document outcome
      }
      result = e.getWriteResult();
      for (BulkWriteError error : e.getWriteErrors()) {
        failed.add(error.getIndex());
        failures.add(
            new BatchResult.Failure(
                writes.get(error.getIndex()), code(error), firstLine(error.getMessage())));
      }
    }
    List<PlannedWrite> attempted = new ArrayList<>(writes.size() - failed.size());
    for (int i = 0; i < writes.size(); i++) {
      if (!failed.contains(i)) {
        attempted.add(writes.get(i));
      }
    }
    if (result.getMatchedCount() == attempted.size()) {
      return new BatchResult(attempted, List.of(), failures);
    }
    return classify(attempted, failures, done);
  }

  private BatchResult classify(
      List<PlannedWrite> attempted,
      List<BatchResult.Failure> failures,
      BiPredicate<PlannedWrite, BsonDocument> done) {
    List<BsonValue> ids = new ArrayList<>(attempted.size());
    attempted.forEach(write -> ids.add(write.id()));
    Map<BsonValue, BsonDocument> now = new HashMap<>();
    for (BsonDocument user :
        users
            .find(Filters.in(Fields.ID, ids))
            .collation(SIMPLE)
            .projection(Projections.include(Fields.ACHIEVEMENTS_V2))
            .maxTime(operationTimeout.toMillis(), TimeUnit.MILLISECONDS)
            .comment(comment)) {
      now.put(user.get(Fields.ID), user);
    }
    List<PlannedWrite> applied = new ArrayList<>();
    List<PlannedWrite> conflicts = new ArrayList<>();
    for (PlannedWrite write : attempted) {
      (done.test(write, now.get(write.id())) ? applied : conflicts).add(write);
    }
    return new BatchResult(applied, conflicts, failures);
  }

  /** The BSON size errors of mongod: a user whose new document would pass 16 MB. */
  private static final Set<Integer> TOO_LARGE = Set.of(10334, 17419, 17420, 13333);

  static final String DOCUMENT_TOO_LARGE = "DOCUMENT_TOO_LARGE";

  /** {@code DOCUMENT_TOO_LARGE}, else {@code WRITE_ERROR:<server code>}. */
  static String code(BulkWriteError error) {
    return TOO_LARGE.contains(error.getCode())
        ? DOCUMENT_TOO_LARGE
        : "WRITE_ERROR:" + error.getCode();
  }

  /**
   * {@code DOCUMENT_TOO_LARGE} for a statement the driver found too large, else {@code
   * CLIENT_ERROR:<exception>}: the client refused one user's statement.
   */
  static String clientCode(RuntimeException refused) {
    return refused instanceof BsonMaximumSizeExceededException
        ? DOCUMENT_TOO_LARGE
        : "CLIENT_ERROR:" + refused.getClass().getSimpleName();
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
