package app.achievements.run;

import app.achievements.pace.Brake;
import app.achievements.pace.Pace;
import app.achievements.pace.PaceOptions;
import app.achievements.store.LagReading;
import app.achievements.store.LockHeldException;
import app.achievements.store.RunJournal;
import app.achievements.store.RunStatus;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sequence migrate and rollback share: the prompt (for a real run that was not told {@code
 * --yes}: count, show, ask), then the journal is begun (lock and history entry), the work runs,
 * whatever ended it becomes a {@link RunStatus}, the summary is printed with the counts so far, and
 * the journal is ended with that status and those counts, whatever happened. Nothing escapes as an
 * exception once the journal is begun, an {@link Error} in any thread of the run included: it is
 * the run's failure, in its result.
 *
 * <p>While the run works, a shutdown hook stands by for a JVM that is ending for a reason the run
 * did not choose (a signal nobody handles, {@code System.exit} elsewhere): it asks the run to stop
 * and waits for it to end by itself, which releases the lock only once no write can follow. A run
 * that does not end in time keeps its lock until the lease lapses.
 */
final class RecordedRun {

  /** How long a JVM that is shutting down waits for the run to stop and record itself. */
  static final long SHUTDOWN_WAIT_SECONDS = PageWriters.GRACE.toSeconds() + 10;

  private static final Logger log = LoggerFactory.getLogger(RecordedRun.class);

  /**
   * What the operator reads before a real run: {@code dryRun} says what a dry run does; {@code
   * counting} names what is counted ({@code eligible users}); {@code counted} labels the count;
   * {@code nothingToDo} ends a run that found nothing; {@code question} asks, with {@code %d} for
   * the count and {@code %s} for the collection.
   */
  record Prompt(
      String dryRun, String counting, String counted, String nothingToDo, String question) {}

  /** One run's work, and how it reports. */
  interface Work<R extends RunResult> {
    /** What the operator is told and asked. */
    Prompt prompt();

    /** Counts exactly what the prompt asks about, before anything is written. */
    long count();

    /**
     * The result of a run that wrote nothing: {@link RunStatus#COMPLETED} when there was nothing to
     * do, {@link RunStatus#ABORTED} when the operator declined; {@code counted} as counted.
     */
    R unconfirmed(RunStatus status, long counted);

    /**
     * The reads and writes; returns normally when every user was processed. {@code counted} is the
     * count the operator confirmed, or -1 when nothing was counted (a dry run, {@code --yes}).
     */
    void run(long counted);

    /** The counts as they stand, for a run that ended with {@code status}. */
    R result(RunStatus status, RuntimeException failure);

    /** Prints the summary of {@code result}. */
    void print(R result);
  }

  private RecordedRun() {}

  /**
   * Asks, then runs {@code work} in {@code setup}'s journal. {@code runStart} is recorded in the
   * history entry (null when the run writes no {@code unlockedAt}).
   *
   * @throws LockHeldException when another run holds the lock: nothing was written
   * @throws RunInterruptedException when the operator stopped it before it began
   */
  static <R extends RunResult> R run(RunSetup setup, Instant runStart, Work<R> work) {
    PrintWriter out = setup.out();
    MigrationOptions options = setup.options();
    Prompt prompt = work.prompt();
    out.printf("Collection: %s%n", setup.users().namespace());
    if (options.dryRun()) {
      out.println(prompt.dryRun());
    }
    announcePace(setup);
    long counted = -1;
    if (!options.dryRun() && !options.assumeYes()) {
      out.printf("Counting %s...%n", prompt.counting());
      out.flush();
      counted = work.count();
      out.printf("%s: %d%n", prompt.counted(), counted);
      if (counted == 0) {
        out.println(prompt.nothingToDo());
        out.flush();
        return work.unconfirmed(RunStatus.COMPLETED, 0);
      }
      String question = String.format(prompt.question(), counted, setup.users().namespace());
      if (!setup.confirmation().ask(out, question)) {
        return work.unconfirmed(RunStatus.ABORTED, counted);
      }
    }
    out.flush();
    return journaled(setup, runStart, work, counted);
  }

  /**
   * Says what holds the run's writes back, before anything is asked: the replication lag it waits
   * for (read once now), a pause file, a time limit. A lag that this user or server can never read
   * refuses a real run (a dry run, which waits for nothing, only warns): it fails closed rather
   * than write blind.
   *
   * @throws RunRefusedException when a real run could not check the lag it was told to
   */
  static void announcePace(RunSetup setup) {
    PrintWriter out = setup.out();
    Pace pace = setup.pace();
    PaceOptions options = pace.options();
    if (!options.maxLag().isZero()) {
      LagReading lag = pace.lagSource().read();
      if (!setup.options().dryRun()) {
        pace.brake().lag(lag); // the first reading: the first batch need not wait for the next
      }
      String limit =
          "no new batch while it is over "
              + Brake.seconds(options.maxLag())
              + " (--max-lag), checked every "
              + Brake.seconds(options.checkInterval());
      if (lag instanceof LagReading.Standalone) {
        out.println(
            "Replication lag: not checked: the server is a standalone, with no replication.");
      } else if (lag instanceof LagReading.Measured measured) {
        out.printf(
            "Replication lag: %s (%s); %s.%n",
            Brake.seconds(measured.lag()),
            measured.member() == null ? "no secondary to wait for" : measured.member(),
            limit);
      } else if (lag instanceof LagReading.Unknown unknown
          && unknown.refused()
          && !setup.options().dryRun()) {
        throw new RunRefusedException(
            "cannot read the replication lag: "
                + unknown.why()
                + "; pass --max-lag 0 to run without the lag check");
      } else if (lag instanceof LagReading.Unknown unknown) {
        out.printf(
            "Replication lag: unknown (%s); %s, and while it cannot be read.%n",
            unknown.why(), limit);
      } else if (setup.options().dryRun()) {
        out.println(
            "warning: a real run would stop here: cannot read the replication lag: "
                + ((LagReading.Unreadable) lag).why());
      } else {
        throw new RunRefusedException(
            "cannot read the replication lag: " + ((LagReading.Unreadable) lag).why());
      }
    }
    if (options.pauseFile() != null) {
      out.printf("Pause file: %s (no new batch while it exists).%n", options.pauseFile());
    }
    if (options.stopAfter() != null) {
      out.printf(
          "Time limit: stops before its next batch %s after it begins (--stop-after).%n",
          Progress.duration(options.stopAfter()));
    }
  }

  private static <R extends RunResult> R journaled(
      RunSetup setup, Instant runStart, Work<R> work, long counted) {
    StopSignal stop = setup.stop();
    PrintWriter out = setup.out();
    if (!stop.arm()) {
      throw new RunInterruptedException("interrupted before anything was written");
    }
    stop.throwIfRequested();
    RunJournal journal = setup.activeJournal();
    journal.begin(runStart, leaseListener(stop));
    ScheduledExecutorService timeLimit = timeLimit(stop, setup.pace().options().stopAfter());
    CountDownLatch ended = new CountDownLatch(1);
    Thread hook =
        new Thread(
            () -> {
              stop.request();
              try {
                if (!ended.await(SHUTDOWN_WAIT_SECONDS, TimeUnit.SECONDS)) {
                  log.warn("The run did not stop in time; its lock lapses by itself");
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "run-on-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      RuntimeException failure = null;
      try {
        setup.report().open();
        work.run(counted); // it checks the stop itself: a stop after its last write completes it
      } catch (Throwable e) { // an Error too: the run still reports and records itself
        failure = failureOf(e, stop);
        log.debug("The run stopped", e);
      }
      RunStatus status =
          failure == null
              ? RunStatus.COMPLETED
              : stop.reason() == null ? RunStatus.FAILED : statusOf(stop.reason());
      R result;
      try {
        result = work.result(status, failure);
      } catch (RuntimeException inconsistent) {
        // counts that do not add up are a bug: still record the run's end and release the lock
        endQuietly(journal, RunStatus.FAILED, inconsistent);
        throw inconsistent;
      }
      if (status != RunStatus.COMPLETED) {
        out.println(heading(status));
      }
      work.print(result);
      out.flush();
      try {
        end(journal, status, result.counts());
      } catch (RuntimeException e) {
        if (failure == null) {
          throw e; // the work is done, but could not be recorded: that is the error to report
        }
        failure.addSuppressed(e);
      }
      return result;
    } finally {
      if (timeLimit != null) {
        timeLimit.shutdownNow();
      }
      ended.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the hook runs, and now sees the end
      }
    }
  }

  /**
   * Stops the run when {@code stopAfter} has passed (null: never), before its next batch: the
   * writes on the wire finish, the rest is left for the next run.
   */
  private static ScheduledExecutorService timeLimit(StopSignal stop, Duration stopAfter) {
    if (stopAfter == null) {
      return null;
    }
    ScheduledExecutorService timer =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, "time-limit");
              thread.setDaemon(true);
              return thread;
            });
    timer.schedule(
        () ->
            stop.request(
                StopSignal.Reason.TIME_LIMIT,
                "stopped at the time limit ("
                    + Progress.duration(stopAfter)
                    + ", --stop-after): every user is untouched or fully written; run again to"
                    + " continue"),
        stopAfter.toMillis(),
        TimeUnit.MILLISECONDS);
    return timer;
  }

  /**
   * Records the run's end. A run that did not complete may have stopped because the server is out
   * of reach: its end is waited for {@link #END_WAIT} at most (one attempt, on a thread of its
   * own), so that the run still closes its report, says its result and exits in time; the next run
   * that takes the lock records a run that could not record itself, and its lease lapses.
   */
  static void end(RunJournal journal, RunStatus status, Map<String, Long> counts) {
    if (status == RunStatus.COMPLETED) {
      journal.end(status, counts);
      return;
    }
    AtomicReference<RuntimeException> failed = new AtomicReference<>();
    Thread ending =
        new Thread(
            () -> {
              try {
                journal.end(status, counts);
              } catch (RuntimeException e) {
                failed.set(e);
              }
            },
            "journal-end");
    ending.setDaemon(true);
    ending.start();
    try {
      ending.join(END_WAIT.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (ending.isAlive()) {
      log.warn(
          "Could not record the end of the run within {} s: the next run marks it failed",
          END_WAIT.toSeconds());
    } else if (failed.get() != null) {
      throw failed.get();
    }
  }

  /** How long a run that did not complete waits to record its end. */
  static final Duration END_WAIT = Duration.ofSeconds(5);

  /** A lease lost or failed stops the run. */
  static RunJournal.LeaseListener leaseListener(StopSignal stop) {
    return new RunJournal.LeaseListener() {
      @Override
      public void lost(String message) {
        stop.request(StopSignal.Reason.LOCK_LOST, message);
      }

      @Override
      public void failed(String message, Throwable cause) {
        stop.request(StopSignal.Reason.FAILED, message, cause);
      }
    };
  }

  /** The status of a run that stopped for {@code reason}. */
  static RunStatus statusOf(StopSignal.Reason reason) {
    return switch (reason) {
      case INTERRUPTED -> RunStatus.INTERRUPTED;
      case LOCK_LOST -> RunStatus.LOCK_LOST;
      case TIME_LIMIT -> RunStatus.STOPPED;
      case FAILED -> RunStatus.FAILED;
    };
  }

  /** The line before the counts of a run that did not complete. */
  static String heading(RunStatus status) {
    return switch (status) {
      case INTERRUPTED -> "Interrupted; counts so far:";
      case LOCK_LOST -> "Lost the lock; counts so far:";
      case STOPPED -> "Stopped at the time limit (--stop-after); counts so far:";
      default -> "Stopped by an error; counts so far:";
    };
  }

  private static void endQuietly(RunJournal journal, RunStatus status, RuntimeException failure) {
    try {
      journal.end(status, Map.of());
    } catch (RuntimeException e) {
      failure.addSuppressed(e);
    }
  }

  /**
   * The failure to report for {@code e}: the stop itself when the operator stopped the run or it
   * lost its lock (what a thread threw then is a consequence); the failure of the thread that died
   * when that stopped the run; else {@code e}.
   */
  private static RuntimeException failureOf(Throwable e, StopSignal stop) {
    stop.request(StopSignal.Reason.FAILED, "stopped: the run failed", e);
    StopSignal.Reason reason = stop.reason();
    if (reason == StopSignal.Reason.INTERRUPTED
        || reason == StopSignal.Reason.LOCK_LOST
        || reason == StopSignal.Reason.TIME_LIMIT) {
      return stop.exception();
    }
    Throwable cause = stop.cause() != null ? stop.cause() : e;
    return cause instanceof RuntimeException runtime ? runtime : new RunFailedException(cause);
  }
}
