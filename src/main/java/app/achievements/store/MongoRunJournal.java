package app.achievements.store;

import app.achievements.rules.Json;
import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.ReadConcern;
import com.mongodb.ReadPreference;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.DeleteOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndDeleteOptions;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.InsertOneOptions;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.bson.BsonDateTime;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The history entry and the lock of one real run, in two collections of the users' database.
 *
 * <p>The lock is one document per users collection, {@code {_id: "<db>.<collection>", owner, since,
 * expiresAt}}, taken atomically: an insert (the unique {@code _id} lets one run win), or, when the
 * holder's lease has lapsed, an update guarded by that lapse. The lease lasts {@link #LEASE} and is
 * renewed every {@link #RENEW_EVERY} while the run lives, so the lock of a run that died lapses
 * within {@link #LEASE}. The lease's times ({@code since}, {@code expiresAt}, and the lapse a
 * takeover checks) come from the server's clock ({@code hello}'s {@code localTime}), so that runs
 * on machines whose clocks disagree still agree on when a lease lapses; the history's times are
 * this machine's. The lock and the history are read from the primary with majority read concern: a
 * lock seen on a lagging secondary, or one that a failover could roll back, decides nothing.
 *
 * <p>The run counts its lease as held only until {@link #LEASE} less {@link #MARGIN} after the last
 * renewal that the server confirmed was sent: a run cut off from the server stops writing before
 * its lease can lapse and another run can take the lock, and goes on once a renewal gets through
 * again (the lock is still its own if nobody took it meanwhile).
 *
 * <p>The lock document is also where a live run and its operators meet: the run publishes its
 * {@code status} there every check interval ({@link #exchange}, with {@code heartbeatAt} on the
 * server's clock), and reads back the {@code control} that {@code pause}, {@code resume} and {@code
 * set} wrote ({@link LiveRuns}); every control it applies goes into its history entry ({@link
 * #recordControl}). Every command carries the comment {@code achievements-migrate <run id>}, for
 * {@code currentOp} and the profiler.
 */
public final class MongoRunJournal implements RunJournal {

  public static final Duration LEASE = Duration.ofSeconds(45);

  /**
   * How often a run renews its lease, and so how soon it learns that another run took its lock
   * over, when its renewals get through.
   */
  static final Duration RENEW_EVERY = Duration.ofSeconds(2);

  /** How long before the lease could lapse this run stops counting it as held. */
  static final Duration MARGIN = Duration.ofSeconds(15);

  /** What a forced takeover adds to its wait for the rates of two machines' clocks. */
  static final Duration CLOCK_SLACK = Duration.ofSeconds(1);

  private static final Logger log = LoggerFactory.getLogger(MongoRunJournal.class);

  private final MongoCollection<BsonDocument> history;
  private final MongoCollection<BsonDocument> locks;
  private final String target;
  private final BsonDocument entry;
  private final Clock clock;
  private final boolean forceUnlock;
  private final AtomicBoolean holds = new AtomicBoolean();
  private final AtomicBoolean ended = new AtomicBoolean();
  private volatile boolean lost;

  /** {@link #nanoTime} until which the lease counts as held. */
  private volatile long confirmedUntil;

  private final LongSupplier nanoTime;
  private final Supplier<Instant> serverTime;
  private final long maxTimeMillis;
  private LeaseListener listener = LeaseListener.NONE;

  /** How a forced takeover waits for the previous holder: tests record instead. */
  Retry.Sleeper takeoverSleeper = Retry.Sleeper.REAL;

  private final Duration renewEvery;
  private final Retry retry;
  private final String comment;
  private ScheduledExecutorService renewal;

  /**
   * A journal of the run whose history {@code entry} is given ({@code _id}: the run id; command,
   * database, collection, options, tool, host, user, pid; status, times and counts are added here),
   * recorded in {@code history}, holding the lock on {@code target} ({@code database.collection} of
   * the users) in {@code locks}.
   */
  public static Builder builder(
      MongoCollection<BsonDocument> history,
      MongoCollection<BsonDocument> locks,
      String target,
      BsonDocument entry) {
    return new Builder(history, locks, target, entry);
  }

  /** The parts of a journal, with their defaults. */
  public static final class Builder {
    private final MongoCollection<BsonDocument> history;
    private final MongoCollection<BsonDocument> locks;
    private final String target;
    private final BsonDocument entry;
    private Clock clock = Clock.systemUTC();
    private boolean forceUnlock;
    private Retry retry = Retry.none();
    private Supplier<Instant> serverTime;
    private Duration operationTimeout = MongoUserStore.DEFAULT_OPERATION_TIMEOUT;
    private Duration renewEvery = RENEW_EVERY;
    private LongSupplier nanoTime = System::nanoTime;

    private Builder(
        MongoCollection<BsonDocument> history,
        MongoCollection<BsonDocument> locks,
        String target,
        BsonDocument entry) {
      this.history = history;
      this.locks = locks;
      this.target = target;
      this.entry = entry;
    }

    /** The clock of the history's times (default: the system's). */
    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    /** Take the lock even from a live holder (default: no). */
    public Builder forceUnlock(boolean forceUnlock) {
      this.forceUnlock = forceUnlock;
      return this;
    }

    /** How its reads and writes are retried; each is safe to replay (default: not at all). */
    public Builder retry(Retry retry) {
      this.retry = retry;
      return this;
    }

    /**
     * The clock of the lease's times: the server's ({@link #serverTime(MongoDatabase)}); default,
     * {@link #clock}.
     */
    public Builder serverTime(Supplier<Instant> serverTime) {
      this.serverTime = serverTime;
      return this;
    }

    /** The server's time limit of each read (default: 30 s). */
    public Builder operationTimeout(Duration operationTimeout) {
      this.operationTimeout = operationTimeout;
      return this;
    }

    /** How often the lease is renewed (default: {@link #RENEW_EVERY}; tests make it short). */
    public Builder renewEvery(Duration renewEvery) {
      this.renewEvery = renewEvery;
      return this;
    }

    /**
     * Where the lease's elapsed time is measured (default: {@link System#nanoTime}, which no change
     * of the wall clock moves; tests: a fake).
     */
    public Builder nanoTime(LongSupplier nanoTime) {
      this.nanoTime = nanoTime;
      return this;
    }

    public MongoRunJournal build() {
      return new MongoRunJournal(this);
    }
  }

  private MongoRunJournal(Builder builder) {
    Objects.requireNonNull(builder.entry.get("_id"), "the entry's _id is the run id");
    this.history = readFromThePrimary(builder.history);
    this.locks = readFromThePrimary(builder.locks);
    this.target = builder.target;
    this.entry = builder.entry.clone();
    this.clock = builder.clock;
    this.forceUnlock = builder.forceUnlock;
    this.retry = builder.retry;
    this.serverTime = builder.serverTime != null ? builder.serverTime : builder.clock::instant;
    this.maxTimeMillis = builder.operationTimeout.toMillis();
    this.renewEvery = builder.renewEvery;
    this.nanoTime = builder.nanoTime;
    this.comment = comment(runId());
  }

  /** The comment of every command of the run {@code runId}: {@code achievements-migrate <id>}. */
  public static String comment(BsonValue runId) {
    return "achievements-migrate "
        + (runId.isString() ? runId.asString().getValue() : Json.relaxed(runId));
  }

  /** The server's clock, read with {@code hello} on {@code database}, carrying {@code comment}. */
  public static Supplier<Instant> serverTime(MongoDatabase database, String comment) {
    return () ->
        Instant.ofEpochMilli(
            database
                .runCommand(
                    new BsonDocument("hello", new BsonInt32(1))
                        .append("comment", new BsonString(comment)))
                .getDate("localTime")
                .getTime());
  }

  private static MongoCollection<BsonDocument> readFromThePrimary(
      MongoCollection<BsonDocument> collection) {
    return collection
        .withReadPreference(ReadPreference.primary())
        .withReadConcern(ReadConcern.MAJORITY);
  }

  @Override
  public void begin(Instant runStart, LeaseListener listener) {
    this.listener = listener;
    retry.call(
        "taking the lock",
        () -> {
          lock();
          return null;
        });
    BsonDocument running = entry.clone();
    running.append("status", new BsonString("running")).append("startedAt", now());
    if (runStart != null) {
      running.append("runStart", date(runStart));
    }
    retry.call("recording the run", () -> insertOnce(running));
    renewal =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, "lock-renewal");
              thread.setDaemon(true);
              return thread;
            });
    renewal.scheduleAtFixedRate(
        this::renew, renewEvery.toMillis(), renewEvery.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public Lease lease() {
    if (lost || !holds.get()) {
      return Lease.LOST;
    }
    return nanoTime.getAsLong() - confirmedUntil < 0 ? Lease.HELD : Lease.UNCONFIRMED;
  }

  @Override
  public void end(RunStatus status, Map<String, Long> counts) {
    if (ended.getAndSet(true)) {
      return;
    }
    if (renewal != null) {
      renewal.shutdownNow();
    }
    BsonDocument countsDocument = new BsonDocument();
    counts.forEach((name, count) -> countsDocument.append(name, new BsonInt64(count)));
    // A run that did not complete may have stopped because the server is out of reach: one
    // attempt, so that its exit is not held up by another round of retries (the next run records
    // a run that could not record itself).
    Retry retry = status == RunStatus.COMPLETED ? this.retry : Retry.none();
    retry.call(
        "recording the end of the run",
        () ->
            history.updateOne(
                Filters.eq("_id", runId()),
                Updates.combine(
                    Updates.set("status", new BsonString(status.code())),
                    Updates.set("endedAt", now()),
                    Updates.set("counts", countsDocument)),
                update()));
    if (holds.getAndSet(false) && !lost) {
      retry.call(
          "releasing the lock",
          () ->
              locks.deleteOne(
                  Filters.and(Filters.eq("_id", target), Filters.eq("owner.runId", runId())),
                  new DeleteOptions().comment(comment)));
    }
  }

  @Override
  public RunControl exchange(BsonDocument status) {
    if (lost || !holds.get()) {
      return null;
    }
    BsonDocument lock =
        locks.findOneAndUpdate(
            Filters.and(Filters.eq("_id", target), Filters.eq("owner.runId", runId())),
            Updates.combine(Updates.set("status", status), Updates.currentDate("heartbeatAt")),
            new FindOneAndUpdateOptions()
                .projection(Projections.include("control"))
                .returnDocument(ReturnDocument.AFTER)
                .maxTime(maxTimeMillis, TimeUnit.MILLISECONDS)
                .comment(comment));
    if (lock == null) {
      loseTheLock();
      return null;
    }
    return RunControl.of(lock.isDocument("control") ? lock.getDocument("control") : null);
  }

  @Override
  public void recordControl(BsonDocument applied) {
    history.updateOne(Filters.eq("_id", runId()), Updates.push("controls", applied), update());
  }

  private UpdateOptions update() {
    return new UpdateOptions().comment(comment);
  }

  /**
   * The run-start instants that real migrations of {@code database.collection} recorded in {@code
   * history}: the only instants verify and rollback accept where the run-start fallback applied (a
   * run on another collection stamped none of these users). Read from the primary.
   */
  public static Set<Instant> recordedRunStarts(
      MongoCollection<BsonDocument> history, String database, String collection) {
    return recordedRunStarts(
        history, database, collection, MongoUserStore.DEFAULT_OPERATION_TIMEOUT, "");
  }

  /** As above, the read limited to {@code operationTimeout} and carrying {@code comment}. */
  public static Set<Instant> recordedRunStarts(
      MongoCollection<BsonDocument> history,
      String database,
      String collection,
      Duration operationTimeout,
      String comment) {
    Set<Instant> starts = new HashSet<>();
    for (BsonDocument run :
        readFromThePrimary(history)
            .find(
                Filters.and(
                    Filters.eq("command", "migrate"),
                    Filters.eq("database", database),
                    Filters.eq("collection", collection),
                    Filters.type("runStart", "date")))
            .projection(Projections.include("runStart"))
            .maxTime(operationTimeout.toMillis(), TimeUnit.MILLISECONDS)
            .comment(comment)) {
      starts.add(Instant.ofEpochMilli(run.getDateTime("runStart").getValue()));
    }
    return starts;
  }

  private void lock() {
    if (forceUnlock) {
      BsonDocument removed =
          locks.findOneAndDelete(
              Filters.eq("_id", target),
              new FindOneAndDeleteOptions()
                  .maxTime(maxTimeMillis, TimeUnit.MILLISECONDS)
                  .comment(comment));
      if (removed != null) {
        log.warn("--force-unlock removed the lock of {}", describe(removed));
        markDead(removed, "its lock was forced away (--force-unlock)");
        waitForTheHolderToNotice(removed);
      }
    }
    long sent = nanoTime.getAsLong();
    Instant now = serverTime.get();
    BsonDocument lock =
        new BsonDocument("_id", new BsonString(target))
            .append("owner", owner())
            .append("since", date(now))
            .append("expiresAt", date(now.plus(LEASE)));
    try {
      locks.insertOne(lock, new InsertOneOptions().comment(comment));
      confirm(sent);
      holds.set(true);
      return;
    } catch (MongoWriteException e) {
      if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
        throw e;
      }
    }
    // Held, or left by a run that died: take it over only if its lease has lapsed.
    BsonDocument previous = findLock();
    long taken =
        locks
            .updateOne(
                Filters.and(Filters.eq("_id", target), Filters.lt("expiresAt", date(now))),
                Updates.combine(
                    Updates.set("owner", owner()),
                    Updates.set("since", date(now)),
                    Updates.set("expiresAt", date(now.plus(LEASE))),
                    // the dead run's status and the controls meant for it are not this run's
                    Updates.unset("status"),
                    Updates.unset("heartbeatAt"),
                    Updates.unset("control")),
                update())
            .getModifiedCount();
    if (taken == 1) {
      confirm(sent);
      holds.set(true);
      if (previous != null) {
        markDead(previous, "its lease lapsed: the run died or lost the server");
      }
      return;
    }
    BsonDocument holder = findLock();
    if (holder != null
        && runId().equals(holder.getDocument("owner", new BsonDocument()).get("runId"))) {
      confirm(sent);
      holds.set(true); // a replayed attempt: the first one took it
      return;
    }
    throw new LockHeldException(
        "another run holds the lock on "
            + target
            + ": "
            + (holder == null ? "(it was just released; try again)" : describe(holder))
            + "; if that run is gone, wait for its lease to lapse or use --force-unlock");
  }

  private BsonDocument findLock() {
    return locks
        .find(Filters.eq("_id", target))
        .maxTime(maxTimeMillis, TimeUnit.MILLISECONDS)
        .comment(comment)
        .first();
  }

  /**
   * The run whose lock was just forced away may still be alive, and still writing: it learns at its
   * next renewal, but only if that renewal gets through (its writes may reach the server while its
   * renewals do not). What is sure is that it counts its lease as held no longer than until {@link
   * #MARGIN} before the lease's expiry, on the server's clock: this run waits until then, and a
   * second more for the clocks' rates, before it writes. No wait when that time has passed (the
   * holder stopped renewing long ago: dead, or cut off and holding its writes back already); never
   * more than a renewal's lease less the margin (an expiry further ahead was not set by a renewal:
   * a hand-made lock, or another clock), which is also the wait when the lock shows no expiry.
   */
  private void waitForTheHolderToNotice(BsonDocument removed) {
    Duration longest = LEASE.minus(MARGIN).plus(CLOCK_SLACK);
    Duration wait = longest;
    BsonValue expiresAt = removed.get("expiresAt");
    if (expiresAt != null && expiresAt.isDateTime()) {
      wait =
          Duration.between(
                  serverTime.get(),
                  Instant.ofEpochMilli(expiresAt.asDateTime().getValue()).minus(MARGIN))
              .plus(CLOCK_SLACK);
      if (wait.compareTo(longest) > 0) {
        wait = longest;
      }
    }
    if (wait.isNegative() || wait.isZero()) {
      return;
    }
    log.warn(
        "Waiting {} ms, until the run that held the lock can no longer count on it",
        wait.toMillis());
    try {
      takeoverSleeper.sleep(wait);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * The history entry of the run that held {@code lock} says {@code running} forever unless told: a
   * run killed with -9, or cut off from the server, cannot say it itself.
   */
  private void markDead(BsonDocument lock, String why) {
    BsonValue runId = lock.getDocument("owner", new BsonDocument()).get("runId");
    if (runId == null || runId.equals(runId())) {
      return;
    }
    history.updateOne(
        Filters.and(Filters.eq("_id", runId), Filters.eq("status", "running")),
        Updates.combine(
            Updates.set("status", new BsonString("failed")),
            Updates.set("endedAt", now()),
            Updates.set("note", new BsonString(why))),
        update());
  }

  /** Inserts the run's entry; a replay that finds it there already is done. */
  private Object insertOnce(BsonDocument running) {
    try {
      history.insertOne(running, new InsertOneOptions().comment(comment));
    } catch (MongoWriteException e) {
      if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
        throw e;
      }
    }
    return null;
  }

  private void renew() {
    try {
      long sent = nanoTime.getAsLong();
      Instant now = serverTime.get();
      long renewed =
          locks
              .updateOne(
                  Filters.and(Filters.eq("_id", target), Filters.eq("owner.runId", runId())),
                  Updates.set("expiresAt", date(now.plus(LEASE))),
                  update())
              .getMatchedCount();
      if (renewed == 0) {
        loseTheLock();
      } else {
        confirm(sent);
      }
    } catch (RuntimeException e) {
      if (!ended.get()) { // a renewal under way when the run ended is no news
        log.warn("Could not renew the lock on {}: {}", target, e.toString());
      }
    } catch (Error e) {
      // the scheduler would drop the renewal for good, silently: the run cannot hold its lock
      lost = true;
      listener.failed("the lock's renewal failed: " + e, e);
    }
  }

  /** The lock is no longer this run's: it stops before its next write. */
  private void loseTheLock() {
    if (lost || ended.get()) {
      return; // a renewal or an exchange under way as the run ended and released its lock
    }
    log.warn("This run lost its lock on {}: it stops before its next write", target);
    lost = true;
    listener.lost(
        "this run lost its lock on "
            + target
            + " (another run took it over, or it was released); stopped");
  }

  /**
   * The lease that the server confirmed was renewed by a request sent at {@code sent}: the server
   * set its expiry after that, so it cannot lapse before {@code sent} + {@link #LEASE}.
   */
  private void confirm(long sent) {
    confirmedUntil = sent + LEASE.minus(MARGIN).toNanos();
  }

  private BsonDocument owner() {
    return new BsonDocument("runId", runId())
        .append("host", entry.get("host", new BsonString("?")))
        .append("user", entry.get("user", new BsonString("?")))
        .append("pid", entry.get("pid", new BsonInt64(-1)))
        .append("command", entry.get("command", new BsonString("?")))
        .append("history", new BsonString(history.getNamespace().getCollectionName()));
  }

  private BsonValue runId() {
    return entry.get("_id");
  }

  private static String describe(BsonDocument lock) {
    BsonDocument owner = lock.getDocument("owner", new BsonDocument());
    return String.format(
        "run %s (%s) on %s, pid %s, since %s, lease until %s",
        Json.relaxed(owner.get("runId", new BsonString("?"))).replace("\"", ""),
        owner.getString("command", new BsonString("?")).getValue(),
        owner.getString("host", new BsonString("?")).getValue(),
        Json.relaxed(owner.get("pid", new BsonString("?"))),
        instant(lock.get("since")),
        instant(lock.get("expiresAt")));
  }

  private static String instant(BsonValue value) {
    return value != null && value.isDateTime()
        ? Instant.ofEpochMilli(value.asDateTime().getValue()).toString()
        : "?";
  }

  private BsonDateTime now() {
    return date(clock.instant());
  }

  private static BsonDateTime date(Instant instant) {
    return new BsonDateTime(Date.from(instant).getTime());
  }
}
