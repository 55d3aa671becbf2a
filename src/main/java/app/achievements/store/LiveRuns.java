package app.achievements.store;

import com.mongodb.ReadConcern;
import com.mongodb.ReadPreference;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Updates;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.bson.BsonDocument;
import org.bson.BsonInt64;
import org.bson.BsonValue;
import org.bson.conversions.Bson;

/**
 * The live run on a collection, as {@code status}, {@code pause}, {@code resume} and {@code set}
 * see it: its lock document (who holds it, since when, its lease), the status it publishes there,
 * and the control part that these commands write and the run reads every check interval ({@link
 * MongoRunJournal#exchange}). A request names the run it is for: one written as that run ends, or
 * after another run took the lock, matches nothing, and no later run inherits it.
 */
public final class LiveRuns {

  /**
   * One live run: the lock document of {@code _id} {@code database.collection}, read from the
   * primary with majority read concern.
   */
  public record LiveRun(BsonDocument lock) {

    public BsonValue runId() {
      return owner().get("runId");
    }

    public BsonDocument owner() {
      return lock.isDocument("owner") ? lock.getDocument("owner") : new BsonDocument();
    }

    /** What the run published last (empty before its first check interval). */
    public BsonDocument status() {
      return lock.isDocument("status") ? lock.getDocument("status") : new BsonDocument();
    }

    public RunControl control() {
      return RunControl.of(lock.isDocument("control") ? lock.getDocument("control") : null);
    }

    public Instant since() {
      return instant(lock.get("since"));
    }

    public Instant expiresAt() {
      return instant(lock.get("expiresAt"));
    }

    /** When the run last published its status, on the server's clock; null before it did. */
    public Instant heartbeatAt() {
      return instant(lock.get("heartbeatAt"));
    }

    private static Instant instant(BsonValue value) {
      return value != null && value.isDateTime()
          ? Instant.ofEpochMilli(value.asDateTime().getValue())
          : null;
    }
  }

  private final MongoCollection<BsonDocument> locks;
  private final long maxTimeMillis;
  private final String comment;

  /** The lock documents in {@code locks}; each read limited to {@code timeout}. */
  public LiveRuns(MongoCollection<BsonDocument> locks, Duration timeout, String comment) {
    this.locks =
        locks.withReadPreference(ReadPreference.primary()).withReadConcern(ReadConcern.MAJORITY);
    this.maxTimeMillis = timeout.toMillis();
    this.comment = comment;
  }

  /**
   * The controls that {@code run}, which no longer holds its lock, applied from request {@code seq}
   * on before it ended, as its history entry (in the collection its lock named, of {@code
   * database}) records them: {@code {seq, at, by, paused | maxRate | batchSize | maxLag}}, each
   * with what it changed. Empty when there are none, or it cannot be told (a lock that names no
   * history).
   */
  public List<BsonDocument> appliedBeforeItEnded(MongoDatabase database, LiveRun run, long seq) {
    List<BsonDocument> applied = new ArrayList<>();
    if (!run.owner().isString("history")) {
      return applied;
    }
    BsonDocument entry =
        database
            .getCollection(run.owner().getString("history").getValue(), BsonDocument.class)
            .withReadPreference(ReadPreference.primary())
            .withReadConcern(ReadConcern.MAJORITY)
            .find(Filters.eq("_id", run.runId()))
            .projection(Projections.include("controls"))
            .maxTime(maxTimeMillis, TimeUnit.MILLISECONDS)
            .comment(comment)
            .first();
    if (entry == null || !entry.isArray("controls")) {
      return applied;
    }
    for (BsonValue control : entry.getArray("controls")) {
      if (control.isDocument()
          && control.asDocument().isNumber("seq")
          && control.asDocument().getNumber("seq").longValue() >= seq) {
        applied.add(control.asDocument());
      }
    }
    return applied;
  }

  /** The run that holds the lock on {@code target} ({@code database.collection}), if any. */
  public Optional<LiveRun> find(String target) {
    return Optional.ofNullable(
            locks
                .find(Filters.eq("_id", target))
                .maxTime(maxTimeMillis, TimeUnit.MILLISECONDS)
                .comment(comment)
                .first())
        .map(LiveRun::new);
  }

  /**
   * Asks the run {@code runId} on {@code target} for {@code changes} (fields of the control part:
   * {@code paused}, {@code maxRate}, {@code batchSize}, {@code maxLag}), as {@code by} ({@code
   * {command, user, host, pid}}); the request's number, or empty when that run no longer holds the
   * lock.
   */
  public Optional<Long> request(
      String target, BsonValue runId, BsonDocument changes, BsonDocument by) {
    List<Bson> updates = new ArrayList<>();
    Optional<LiveRun> now = find(target);
    if (now.isPresent() && now.get().control().seq() < 0) {
      // a count that is not an integer (edited by hand): set it right, past what the run applied
      BsonDocument status = now.get().status();
      long applied = status.isNumber("control") ? status.getNumber("control").longValue() : 0;
      updates.add(Updates.set("control.seq", new BsonInt64(Math.max(0, applied) + 1)));
    } else {
      updates.add(Updates.inc("control.seq", 1L));
    }
    updates.add(Updates.set("control.by", by));
    updates.add(Updates.currentDate("control.at"));
    changes.forEach((field, value) -> updates.add(Updates.set("control." + field, value)));
    BsonDocument lock =
        locks.findOneAndUpdate(
            Filters.and(Filters.eq("_id", target), Filters.eq("owner.runId", runId)),
            Updates.combine(updates),
            new FindOneAndUpdateOptions()
                .returnDocument(ReturnDocument.AFTER)
                .maxTime(maxTimeMillis, TimeUnit.MILLISECONDS)
                .comment(comment));
    return Optional.ofNullable(lock).map(found -> new LiveRun(found).control().seq());
  }
}
