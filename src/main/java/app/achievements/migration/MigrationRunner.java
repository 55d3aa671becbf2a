package app.achievements.migration;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
 * single-document update whose filter ({@link WriteGuard}) requires the user to be exactly as read,
 * so the server applies it atomically or not at all, and never over a change the application made
 * meanwhile; a user whose write did not apply stays eligible, so the next run (or the re-read at
 * the end of this one) takes it from its current value. A dry run is this same code with the write
 * step switched off, so its counts are the real run's counts.
 */
public final class MigrationRunner {

  private static final Logger log = LoggerFactory.getLogger(MigrationRunner.class);

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

  /** A runner with no report, no journal and plain progress lines. */
  public MigrationRunner(
      UserStore users,
      PrintWriter out,
      Confirmation confirmation,
      Clock clock,
      MigrationOptions options) {
    this(new RunSetup(users, out, confirmation, clock, options));
  }

  /** Runs once; database errors propagate after the partial summary is printed. */
  public MigrationResult run() {
    Instant runStart = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    log.info(
        "{} of {} starts: batch size {}, run start {}",
        options.dryRun() ? "Dry run" : "Migration",
        users.namespace(),
        options.batchSize(),
        runStart);
    out.printf("Collection: %s%n", users.namespace());
    if (options.dryRun()) {
      out.println("Dry run: reading and converting only; nothing will be written.");
    }
    long expected = -1;
    if (!options.dryRun() && !options.assumeYes()) {
      out.println("Counting eligible users...");
      out.flush();
      expected = countEligible();
      out.printf("Eligible users: %d%n", expected);
      if (expected == 0) {
        out.println("Nothing to migrate.");
        out.flush();
        return new Tally(setup.report()).result(false, runStart, Duration.ZERO);
      }
      if (!setup
          .confirmation()
          .ask(
              out,
              String.format("Migrate %d eligible users in %s?", expected, users.namespace()))) {
        return MigrationResult.aborted(false, expected, runStart);
      }
    }
    out.flush();
    setup.activeJournal().begin();

    Instant started = clock.instant();
    Tally tally = new Tally(setup.report());
    Examples examples = new Examples(options.dryRun() ? options.examples() : 0);
    ProgressListener progress =
        setup.progress() != null ? setup.progress() : new Progress(out, options.progressInterval());
    List<BsonValue> conflicts = Collections.synchronizedList(new ArrayList<>());
    Iterator<List<BsonDocument>> pages = users.candidatePages(options.batchSize());
    // Reading and converting run ahead on their own thread; the writers take the pages from it. A
    // failed page query leaves the pages at their checkpoint (the last _id): the reader asks again.
    try (PageReader reader =
        new PageReader(
            pages,
            () -> setup.retry().call("reading users", pages::hasNext),
            setup::checkMayContinue,
            page -> convert(page, runStart, tally, examples))) {
      Written written = new Written(progress, expected, tally, started);
      PageWriters.writeAll(
          reader,
          options.writers(),
          page -> {
            setup.checkMayContinue(); // no batch is written once stopped or without the lock
            write(page.writes(), tally).forEach(conflict -> conflicts.add(conflict.id()));
            written.add(page);
          });
      progress.done();
      retryConflicts(conflicts, runStart, tally);
    } catch (RuntimeException e) {
      progress.done();
      log.debug("Stopped by an error", e);
      out.println(
          e instanceof RunInterruptedException
              ? "Interrupted; counts so far:"
              : "Stopped by an error; counts so far:");
      MigrationResult stopped = tally.stoppedResult(options.dryRun(), runStart, elapsed(started));
      new MigrationReport(out).summary(stopped);
      endJournal(RunSetup.statusOf(e), stopped, e);
      throw e;
    }
    MigrationResult result = tally.result(options.dryRun(), runStart, elapsed(started));
    endJournal("completed", result, null);
    log.info(
        "Finished: eligible {}, migrated {}, rejected {}, conflicts {}, failed {}, skipped {}",
        result.eligible(),
        result.migrated(),
        result.rejected(),
        result.conflicts(),
        result.failed(),
        result.skipped());
    MigrationReport report = new MigrationReport(out);
    report.examples(examples.examples());
    report.summary(result);
    return result;
  }

  private void endJournal(String status, MigrationResult result, RuntimeException failure) {
    Map<String, Long> counts = new java.util.LinkedHashMap<>();
    counts.put("eligible", result.eligible());
    counts.put("migrated", result.migrated());
    counts.put("rejected", result.rejected());
    counts.put("conflicts", result.conflicts());
    counts.put("failed", result.failed());
    counts.put("skipped", result.skipped());
    setup.endJournal(status, counts, failure);
  }

  /** Counts the eligible users exactly, by the rule, before anything is written. */
  private long countEligible() {
    long eligible = 0;
    Iterator<List<BsonDocument>> pages = users.candidatePages(options.batchSize());
    while (setup.retry().call("counting users", pages::hasNext)) {
      eligible += pages.next().stream().filter(Eligibility::isEligible).count();
    }
    return eligible;
  }

  private PageReader.Converted convert(
      List<BsonDocument> page, Instant runStart, Tally tally, Examples examples) {
    List<PlannedWrite> writes = new ArrayList<>(page.size());
    int eligible = 0;
    for (BsonDocument user : page) {
      if (!Eligibility.isEligible(user)) {
        continue;
      }
      eligible++;
      ConversionResult result = Conversion.convert(user, runStart);
      examples.offer(user, result);
      plan(user, result, tally).ifPresent(writes::add);
    }
    tally.eligible(eligible);
    return new PageReader.Converted(writes, eligible, eligible - writes.size());
  }

  private static Optional<PlannedWrite> plan(
      BsonDocument user, ConversionResult result, Tally tally) {
    if (result instanceof ConversionResult.Reject reject) {
      tally.rejected(user, reject.reason());
      return Optional.empty();
    }
    ConversionResult.Migrate migrate = (ConversionResult.Migrate) result;
    return Optional.of(new PlannedWrite(user, migrate.achievementsV2(), migrate.notes()));
  }

  /** Writes (unless dry run) and counts; returns the writes that conflicted. */
  private List<PlannedWrite> write(List<PlannedWrite> writes, Tally tally) {
    if (options.dryRun()) {
      tally.migrated(writes);
      return List.of();
    }
    // A replayed bulk write is harmless: users it already migrated no longer match its filters,
    // and reading the batch back counts them as migrated.
    setup.throttle().acquire(writes.size());
    BatchResult result = setup.retry().call("writing users", () -> users.write(writes));
    log.debug(
        "Bulk write of {}: {} migrated, {} conflicts, {} failed",
        writes.size(),
        result.migrated().size(),
        result.conflicts().size(),
        result.failures().size());
    result
        .failures()
        .forEach(
            f ->
                log.info(
                    "Write refused for _id {}: {}", Json.relaxed(f.write().id()), f.describe()));
    tally.migrated(result.migrated());
    result.failures().forEach(tally::failed);
    return result.conflicts();
  }

  /**
   * Users the application changed between read and write: each is read again and converted from its
   * new value, once. One that conflicts again is reported, one that is no longer eligible is
   * skipped (the application took care of it).
   */
  private void retryConflicts(List<BsonValue> conflicts, Instant runStart, Tally tally) {
    for (int from = 0; from < conflicts.size(); from += options.batchSize()) {
      List<BsonValue> ids =
          conflicts.subList(from, Math.min(conflicts.size(), from + options.batchSize()));
      Map<BsonValue, BsonDocument> now = new HashMap<>();
      setup
          .retry()
          .call("reading conflicts", () -> users.reread(ids))
          .forEach(user -> now.put(user.get(Fields.ID), user));
      List<PlannedWrite> writes = new ArrayList<>();
      for (BsonValue id : ids) {
        BsonDocument user = now.get(id);
        if (user == null || !Eligibility.isEligible(user)) {
          tally.skipped();
          continue;
        }
        plan(user, Conversion.convert(user, runStart), tally).ifPresent(writes::add);
      }
      write(writes, tally).forEach(tally::conflict);
    }
  }

  /**
   * What the writers have written so far, for progress: not what the reader has converted ahead.
   */
  private final class Written {
    private final ProgressListener progress;
    private final long expected;
    private final Tally tally;
    private final Instant started;
    private long processed;
    private long rejected;

    Written(ProgressListener progress, long expected, Tally tally, Instant started) {
      this.progress = progress;
      this.expected = expected;
      this.tally = tally;
      this.started = started;
    }

    synchronized void add(PageReader.Converted page) {
      processed += page.eligible();
      rejected += page.rejected();
      progress.progress(
          new ProgressListener.Snapshot(
              processed,
              expected,
              tally.migratedCount(),
              rejected,
              tally.failedCount(),
              elapsed(started)));
    }
  }

  private Duration elapsed(Instant started) {
    return Duration.between(started, clock.instant());
  }
}
