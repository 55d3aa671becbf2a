package app.achievements.run;

import app.achievements.pace.InFlight;
import app.achievements.rules.Conversion;
import app.achievements.rules.ConversionResult;
import app.achievements.rules.Eligibility;
import app.achievements.rules.Fields;
import app.achievements.rules.Json;
import app.achievements.store.BatchResult;
import app.achievements.store.PlannedWrite;
import app.achievements.store.Retry;
import app.achievements.store.RuleFields;
import app.achievements.store.RunStatus;
import app.achievements.store.UserStore;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the migration: asks for confirmation, reads candidate users page by page and converts the
 * eligible ones (on a {@link PageReader} thread, a few pages ahead), writes each page in one
 * guarded bulk write (on {@link PageWriters}, several at a time), then re-reads the conflicts once.
 *
 * <p>Why it is safe beside a live application and after a crash at any instant: every write is a
 * single-document update whose filter ({@code WriteGuard}) requires the user to be exactly as read,
 * so the server applies it atomically or not at all, and never over a change the application made
 * meanwhile; a user whose write did not apply stays eligible, so the next run (or the re-read at
 * the end of this one) takes it from its current value. A dry run is this same code with the write
 * step switched off, so its counts are the real run's counts.
 *
 * <p>Why no thread of a run waits for ever:
 *
 * <ul>
 *   <li>Every operation on the network has a deadline, set by the client's settings: choosing a
 *       server, connecting, taking a connection from the pool, and every socket read; the server is
 *       told its own too ({@code maxTimeMS} on reads, {@code wtimeout} on writes). A step that
 *       times out is transient: {@link Retry} tries it again, at most {@code --max-retries} times
 *       and not later than {@code --retry-timeout} after its first failure, in elapsed time.
 *   <li>The other waits are bounded and end at a stop: the throttle's (a batch's share of the
 *       rate), a retry's backoff, and an unconfirmed lease's ({@link WriteGate}, at most {@code
 *       --retry-timeout}): all sleep on the {@link StopSignal}.
 *   <li>Threads waiting for each other: a writer waiting for a page gets it, the end, or the
 *       reader's failure (whatever ends the reader, an {@link Error} too); a stop closes the
 *       reader. The main thread waits for the writers, whose every step is bounded as above, and
 *       once the run is stopped for {@link PageWriters#GRACE} at most. The lock's renewal thread
 *       runs one bounded operation at a time; a renewal that fails leaves the lease unconfirmed,
 *       which holds writes back before it could lapse. The journal's last write is one attempt when
 *       the run did not complete.
 *   <li>The only unbounded wait is the prompt's, for the operator; a signal then ends the process
 *       at once, nothing having been written.
 * </ul>
 */
public final class MigrationRunner {

  private static final Logger log = LoggerFactory.getLogger(MigrationRunner.class);

  /** The most users a page read asks for, whatever the batch size: its bytes decide below it. */
  static final int READ_PAGE_LIMIT = 100_000;

  private final RunSetup setup;
  private final UserStore users;
  private final PrintWriter out;
  private final Clock clock;
  private final MigrationOptions options;

  public MigrationRunner(RunSetup setup) {
    this.setup = setup;
    this.users = setup.users();
    this.out = setup.out();
    this.clock = setup.clock();
    this.options = setup.options();
  }

  /**
   * Runs once. Errors before the first write (the count, the prompt, a lock held by another run)
   * propagate; from the first write on, whatever stops the run is in the result, with the counts so
   * far, and the summary is printed.
   */
  public MigrationResult run() {
    Instant runStart = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    log.info(
        "{} of {} starts: batch size {}, run start {}",
        options.dryRun() ? "Dry run" : "Migration",
        users.namespace(),
        options.batchSize(),
        runStart);
    return RecordedRun.run(setup, options.dryRun() ? null : runStart, new Work(runStart));
  }

  /** The migration's part in the shared sequence of a run. */
  private final class Work implements RecordedRun.Work<MigrationResult> {
    private final Instant runStart;
    private final Tally tally = new Tally(new FailSafeReport(setup.report(), setup.stop()));
    private final Examples examples = new Examples(options.dryRun() ? options.examples() : 0);
    private Instant started;

    Work(Instant runStart) {
      this.runStart = runStart;
    }

    @Override
    public RecordedRun.Prompt prompt() {
      return new RecordedRun.Prompt(
          "Dry run: reading and converting only; nothing will be written.",
          "eligible users",
          "Eligible users",
          "Nothing to migrate.",
          "Migrate %d eligible users in %s?");
    }

    @Override
    public long count() {
      return countEligible();
    }

    @Override
    public MigrationResult unconfirmed(RunStatus status, long counted) {
      return MigrationResult.unconfirmed(status, counted, runStart);
    }

    @Override
    public void run(long counted) {
      started = clock.instant();
      migrate(runStart, counted, tally, examples);
    }

    @Override
    public MigrationResult result(RunStatus status, RuntimeException failure) {
      return tally.result(status, options.dryRun(), runStart, elapsed(started), failure);
    }

    @Override
    public void print(MigrationResult result) {
      MigrationReport report = new MigrationReport(out);
      if (result.status() == RunStatus.COMPLETED) {
        log.info(
            "Finished: eligible {}, migrated {}, rejected {}, conflicts {}, failed {}, skipped {}",
            result.eligible(),
            result.migrated(),
            result.rejected(),
            result.conflicts(),
            result.failed(),
            result.skipped());
        report.examples(examples.examples());
      }
      report.summary(result);
    }
  }

  /**
   * Reads, converts and writes every candidate, then re-reads the conflicts once. A stop or a
   * failure leaves every user read with an outcome in {@code tally}: what was not written is
   * unfinished.
   */
  private void migrate(Instant runStart, long expected, Tally tally, Examples examples) {
    StopSignal stop = setup.stop();
    WriteGate gate = gate();
    ProgressListener progress = setup.progress();
    RunProgress written =
        new RunProgress(
            progress,
            ProgressListener.Labels.MIGRATE,
            expected,
            setup.pace(),
            new RunProgress.Counts() {
              @Override
              public long done() {
                return tally.migratedCount();
              }

              @Override
              public long failed() {
                return tally.failedCount();
              }
            },
            clock);
    Conflicts conflicts = new Conflicts();
    try (Monitor monitor = monitor(written)) {
      // pages of several batches, each cut to its share of the buffer: the writers write them a
      // batch at a time
      Iterator<List<BsonDocument>> pages =
          users.candidatePages(
              () ->
                  Math.min(
                      READ_PAGE_LIMIT, setup.pace().sizer().max() * MigrationOptions.READ_PAGES),
              options::pageBytes);
      // Reading and converting run ahead on their own thread; the writers take the pages from it.
      // A failed page query leaves the pages at their checkpoint (the last _id): the reader asks
      // again.
      boolean allRead;
      try (PageReader reader =
          new PageReader(
              pages,
              () -> setup.retry().call("reading users", pages::hasNext),
              stop::throwIfRequested,
              page -> convert(page, runStart, examples),
              tally::accept,
              left -> left.forEach(page -> giveUp(page, tally)),
              failure ->
                  stop.request(
                      StopSignal.Reason.FAILED, "stopped: the page reader failed", failure),
              options.buffer(),
              options.pageWeight())) {
        stop.onRequest(reader::close);
        PageWriters.writeAll(
            reader,
            options.dryRun() ? options.writers() : setup.inFlight().most(),
            page -> writePage(page, gate, tally, conflicts, written),
            stop,
            page -> giveUp(page, tally));
        reader.close(); // what a stop left queued is unfinished now
        allRead = reader.readToTheEnd();
      } finally {
        progress.done();
      }
      if (!allRead || tally.unfinishedCount() > 0) {
        stop.throwIfRequested(); // a stop that came after the last write leaves nothing undone
      }
      retryConflicts(conflicts, runStart, tally, gate);
    } catch (RuntimeException | Error e) {
      tally.unfinishedConflicts(conflicts.remaining());
      throw e;
    }
  }

  /** The monitor of a real run (null for a dry run, which writes nothing and holds no lock). */
  private Monitor monitor(RunProgress progress) {
    return Monitor.of("migrate", setup, progress);
  }

  private WriteGate gate() {
    return new WriteGate(
        setup.stop(), setup.activeJournal(), setup.retry().timeout(), users.namespace());
  }

  /** A page given up when the run stopped: its users not written yet are unfinished. */
  private static void giveUp(PageReader.Converted page, Tally tally) {
    synchronized (page) {
      List<PlannedWrite> left = page.giveUp();
      if (!left.isEmpty()) {
        tally.unfinished(left);
      }
    }
  }

  /**
   * Writes one page, a bulk write of the pace's batch size at a time, and counts what became of
   * each, unless the run gave the page up meanwhile.
   */
  private void writePage(
      PageReader.Converted page,
      WriteGate gate,
      Tally tally,
      Conflicts conflicts,
      RunProgress written) {
    List<PlannedWrite> writes = page.writes();
    int from = 0;
    do {
      int size = options.dryRun() ? writes.size() : setup.pace().sizer().next();
      List<PlannedWrite> batch = writes.subList(from, Math.min(writes.size(), from + size));
      BatchResult result;
      try {
        result = send(batch, gate);
      } catch (RuntimeException | Error e) {
        giveUp(page, tally);
        throw e;
      }
      // Settled and counted under the page's lock: a run that gives the page up at the same time
      // (its grace over) waits for these counts, so it reports none of them late.
      synchronized (page) {
        if (!page.settle(batch.size())) {
          return;
        }
        // progress a batch at a time, with the counts; the page's rejected users with its last
        int rejected = page.written() ? page.rejected().size() : 0;
        written.add(
            batch.size() + rejected,
            rejected,
            () -> {
              count(result, tally);
              result.conflicts().forEach(conflicts::add);
            });
      }
      from += batch.size();
    } while (from < writes.size());
  }

  /** Counts the eligible users exactly, by the rule, before anything is written. */
  private long countEligible() {
    long eligible = 0;
    // pages as long as the run's own (four batches, a round trip each far from the server)
    Iterator<List<BsonDocument>> pages =
        users.candidatePages(
            () -> Math.min(READ_PAGE_LIMIT, options.batchSize() * MigrationOptions.READ_PAGES),
            options::pageBytes);
    while (setup.retry().call("counting users", pages::hasNext)) {
      setup.stop().throwIfRequested();
      eligible +=
          pages.next().stream().filter(user -> Eligibility.isEligible(RuleFields.of(user))).count();
    }
    return eligible;
  }

  /**
   * Converts a page read into parts of a bulk write each (of the batch size at most), each with the
   * rejected users read among its writes: the writers share a page's bulk writes.
   */
  private List<PageReader.Converted> convert(
      List<BsonDocument> page, Instant runStart, Examples examples) {
    int partSize = setup.pace().sizer().max();
    List<PageReader.Converted> parts = new ArrayList<>();
    List<PlannedWrite> writes = new ArrayList<>(Math.min(page.size(), partSize));
    List<PageReader.Rejected> rejected = new ArrayList<>();
    int eligible = 0;
    long weight = 0;
    for (BsonDocument user : page) {
      BsonDocument fields = RuleFields.of(user);
      if (!Eligibility.isEligible(fields)) {
        continue;
      }
      eligible++;
      ConversionResult result = Conversion.convert(fields, runStart);
      examples.offer(user, result);
      weight += MigrationOptions.weight(user, result);
      if (result instanceof ConversionResult.Reject reject) {
        rejected.add(new PageReader.Rejected(user, reject.reason()));
      } else {
        writes.add(
            PlannedWrite.migration(user, fields.get(Fields.ID), (ConversionResult.Migrate) result));
      }
      if (writes.size() == partSize) {
        parts.add(new PageReader.Converted(writes, eligible, rejected, weight));
        writes = new ArrayList<>(Math.min(page.size(), partSize));
        rejected = new ArrayList<>();
        eligible = 0;
        weight = 0;
      }
    }
    if (eligible > 0) {
      parts.add(new PageReader.Converted(writes, eligible, rejected, weight));
    }
    return parts;
  }

  /**
   * Sends {@code writes} (for a dry run: nothing, and every one counts as done) in one bulk write,
   * at the run's pace, and returns what became of them. The brake and then the gate are passed just
   * before each attempt is sent, within the room the writes in flight leave; a replayed bulk write
   * is harmless: users it already migrated no longer match its filters, and reading the batch back
   * counts them as migrated.
   */
  private BatchResult send(List<PlannedWrite> writes, WriteGate gate) {
    if (options.dryRun() || writes.isEmpty()) {
      return new BatchResult(writes, List.of(), List.of());
    }
    InFlight inFlight = setup.inFlight();
    inFlight.acquire(setup.stop()::requested);
    BatchResult result;
    try {
      result =
          setup
              .pace()
              .write(
                  writes.size(),
                  setup.retry(),
                  "writing users",
                  () -> {
                    gate.beforeSend();
                    long sent = System.nanoTime();
                    BatchResult written = users.write(writes);
                    inFlight.took(System.nanoTime() - sent);
                    return written;
                  });
    } finally {
      inFlight.release();
    }
    log.debug(
        "Bulk write of {}: {} migrated, {} conflicts, {} failed",
        writes.size(),
        result.applied().size(),
        result.conflicts().size(),
        result.failures().size());
    result
        .failures()
        .forEach(
            f ->
                log.info(
                    "Write refused for _id {}: {}", Json.relaxed(f.write().id()), f.describe()));
    return result;
  }

  /** Counts the migrated and failed users of {@code result}. */
  private static void count(BatchResult result, Tally tally) {
    tally.migrated(result.applied());
    result.failures().forEach(tally::failed);
  }

  /**
   * Users the application changed between read and write: each is read again and converted from its
   * new value, once. One that conflicts again is reported, one that is no longer eligible is
   * skipped (the application took care of it). A stop leaves the rest unfinished.
   */
  private void retryConflicts(Conflicts conflicts, Instant runStart, Tally tally, WriteGate gate) {
    while (conflicts.hasMore()) {
      setup.stop().throwIfRequested();
      List<BsonDocument> chunk =
          conflicts.peek(options.dryRun() ? options.batchSize() : setup.pace().sizer().next());
      List<BsonValue> ids = new ArrayList<>(chunk.size());
      chunk.forEach(user -> ids.add(user.get(Fields.ID)));
      Map<BsonValue, BsonDocument> now = new HashMap<>();
      setup
          .retry()
          .call("reading conflicts", () -> users.reread(ids))
          .forEach(user -> now.put(user.get(Fields.ID), user));
      conflicts.take(chunk.size());
      List<PlannedWrite> writes = new ArrayList<>();
      for (BsonValue id : ids) {
        BsonDocument user = now.get(id);
        if (user == null || !Eligibility.isEligible(user)) {
          tally.skipped();
          continue;
        }
        ConversionResult result = Conversion.convert(user, runStart);
        if (result instanceof ConversionResult.Reject reject) {
          tally.rejected(user, reject.reason());
        } else {
          writes.add(PlannedWrite.migration(user, (ConversionResult.Migrate) result));
        }
      }
      BatchResult result;
      try {
        result = send(writes, gate);
      } catch (RuntimeException | Error e) {
        tally.unfinished(writes);
        throw e;
      }
      count(result, tally);
      result.conflicts().forEach(tally::conflict);
    }
  }

  /**
   * The users that conflicted once, waiting to be read again: only their {@code _id} and {@code
   * username} are kept (only conflicts grow with the run). Writers add; the main thread takes.
   */
  private static final class Conflicts {
    private final List<BsonDocument> users = new ArrayList<>();
    private int taken;

    synchronized void add(PlannedWrite conflict) {
      BsonDocument user = new BsonDocument(Fields.ID, conflict.id());
      BsonValue username = conflict.read().get(Fields.USERNAME);
      if (username != null) {
        user.append(Fields.USERNAME, username);
      }
      users.add(user);
    }

    synchronized boolean hasMore() {
      return taken < users.size();
    }

    /** The next {@code max} users waiting, still waiting until {@link #take}n. */
    synchronized List<BsonDocument> peek(int max) {
      return List.copyOf(users.subList(taken, Math.min(users.size(), taken + max)));
    }

    synchronized void take(int count) {
      taken += count;
    }

    synchronized List<BsonDocument> remaining() {
      List<BsonDocument> left = List.copyOf(users.subList(taken, users.size()));
      taken = users.size();
      return left;
    }
  }

  private Duration elapsed(Instant started) {
    return started == null ? Duration.ZERO : Duration.between(started, clock.instant());
  }
}
