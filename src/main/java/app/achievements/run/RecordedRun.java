package app.achievements.run;

import app.achievements.store.LockHeldException;
import app.achievements.store.RunJournal;
import app.achievements.store.RunStatus;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What migrate and rollback share once the operator has confirmed: the journal is begun (lock and
 * history entry), the work runs, whatever ended it becomes a {@link RunStatus}, the summary is
 * printed with the counts so far, and the journal is ended with that status and those counts,
 * whatever happened. Nothing escapes as an exception once the journal is begun, an {@link Error} in
 * any thread of the run included: it is the run's failure, in its result.
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

  /** One run's work, and how it reports. */
  interface Work<R> {
    /** The reads and writes; returns normally when every user was processed. */
    void run();

    /** The counts as they stand, for a run that ended with {@code status}. */
    R result(RunStatus status, RuntimeException failure);

    /** Prints the summary of {@code result}. */
    void print(R result);

    /** The counts of {@code result} for the history entry. */
    Map<String, Long> counts(R result);
  }

  private RecordedRun() {}

  /**
   * Runs {@code work} in {@code setup}'s journal. {@code runStart} is recorded in the history entry
   * (null when the run writes no {@code unlockedAt}).
   *
   * @throws LockHeldException when another run holds the lock: nothing was written
   * @throws RunInterruptedException when the operator stopped it before it began
   */
  static <R> R run(RunSetup setup, Instant runStart, Work<R> work) {
    StopSignal stop = setup.stop();
    PrintWriter out = setup.out();
    if (!stop.arm()) {
      throw new RunInterruptedException("interrupted before anything was written");
    }
    stop.throwIfRequested();
    RunJournal journal = setup.activeJournal();
    journal.begin(runStart, leaseListener(stop));
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
        work.run(); // it checks the stop itself: a stop after its last write completes it
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
        journal.end(status, work.counts(result));
      } catch (RuntimeException e) {
        if (failure == null) {
          throw e; // the work is done, but could not be recorded: that is the error to report
        }
        failure.addSuppressed(e);
      }
      return result;
    } finally {
      ended.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the hook runs, and now sees the end
      }
    }
  }

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
      case FAILED -> RunStatus.FAILED;
    };
  }

  /** The line before the counts of a run that did not complete. */
  static String heading(RunStatus status) {
    return switch (status) {
      case INTERRUPTED -> "Interrupted; counts so far:";
      case LOCK_LOST -> "Lost the lock; counts so far:";
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
    if (reason == StopSignal.Reason.INTERRUPTED || reason == StopSignal.Reason.LOCK_LOST) {
      return stop.exception();
    }
    Throwable cause = stop.cause() != null ? stop.cause() : e;
    return cause instanceof RuntimeException runtime ? runtime : new RunFailedException(cause);
  }
}
