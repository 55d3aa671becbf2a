package app.achievements.run;

import app.achievements.store.Retry;
import app.achievements.store.RunJournal;
import app.achievements.store.UserStore;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.Objects;

/**
 * What a runner gets from outside: the users, where it talks to the operator, where the answer to
 * its prompt comes from, its clock and options; and, when wanted, where report rows go, the journal
 * of a real run (history and lock), who hears its progress (null: plain lines), and how transient
 * failures are retried (default: not at all), and how fast it may write (default: no limit).
 *
 * <p>{@code stop} is the run's own: the operator's signals, the loss of its lock and the failure of
 * one of its threads all request it. The retry's and the throttle's sleeps should be {@link
 * StopSignal#sleep} on it, so that a stop ends them at once.
 */
public record RunSetup(
    UserStore users,
    PrintWriter out,
    Confirmation confirmation,
    Clock clock,
    MigrationOptions options,
    ReportSink report,
    RunJournal journal,
    ProgressListener progress,
    Retry retry,
    Throttle throttle,
    StopSignal stop) {

  public RunSetup {
    Objects.requireNonNull(users, "users");
    Objects.requireNonNull(out, "out");
    Objects.requireNonNull(confirmation, "confirmation");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(report, "report");
    Objects.requireNonNull(journal, "journal");
    Objects.requireNonNull(retry, "retry");
    Objects.requireNonNull(throttle, "throttle");
    Objects.requireNonNull(stop, "stop");
  }

  /** No report, no journal, plain progress lines. */
  public RunSetup(
      UserStore users,
      PrintWriter out,
      Confirmation confirmation,
      Clock clock,
      MigrationOptions options) {
    this(
        users,
        out,
        confirmation,
        clock,
        options,
        ReportSink.NONE,
        RunJournal.NONE,
        null,
        Retry.none(),
        Throttle.NONE,
        new StopSignal());
  }

  /** Also sends a {@link ReportRow} for every user worth reporting to {@code report}. */
  public RunSetup withReport(ReportSink report) {
    return new RunSetup(
        users, out, confirmation, clock, options, report, journal, progress, retry, throttle, stop);
  }

  /** Records a real run and holds its lock through {@code journal}. */
  public RunSetup withJournal(RunJournal journal) {
    return new RunSetup(
        users, out, confirmation, clock, options, report, journal, progress, retry, throttle, stop);
  }

  /** Tells {@code progress} how far the run has got, instead of plain lines. */
  public RunSetup withProgress(ProgressListener progress) {
    return new RunSetup(
        users, out, confirmation, clock, options, report, journal, progress, retry, throttle, stop);
  }

  /** Retries reads and writes that failed for a transient reason with {@code retry}. */
  public RunSetup withRetry(Retry retry) {
    return new RunSetup(
        users, out, confirmation, clock, options, report, journal, progress, retry, throttle, stop);
  }

  /** Holds writes back to {@code throttle}'s rate. */
  public RunSetup withThrottle(Throttle throttle) {
    return new RunSetup(
        users, out, confirmation, clock, options, report, journal, progress, retry, throttle, stop);
  }

  /** Stops taking new work once {@code stop} is requested. */
  public RunSetup withStop(StopSignal stop) {
    return new RunSetup(
        users, out, confirmation, clock, options, report, journal, progress, retry, throttle, stop);
  }

  /** The journal of this run: none for a dry run, which records and holds nothing. */
  RunJournal activeJournal() {
    return options.dryRun() ? RunJournal.NONE : journal;
  }
}
