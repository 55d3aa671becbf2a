package app.achievements.migration;

import java.io.PrintWriter;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;

/**
 * What a runner gets from outside: the users, where it talks to the operator, where the answer to
 * its prompt comes from, its clock and options; and, when wanted, where report rows go, the journal
 * of a real run (history and lock), who hears its progress (null: plain lines), and how transient
 * failures are retried (default: not at all), and how fast it may write (default: no limit).
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
    Throttle throttle) {

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
        Retry.none(clock),
        Throttle.NONE);
  }

  /** Also sends a {@link ReportRow} for every user worth reporting to {@code report}. */
  public RunSetup withReport(ReportSink report) {
    return new RunSetup(
        users, out, confirmation, clock, options, report, journal, progress, retry, throttle);
  }

  /** Records a real run and holds its lock through {@code journal}. */
  public RunSetup withJournal(RunJournal journal) {
    return new RunSetup(
        users, out, confirmation, clock, options, report, journal, progress, retry, throttle);
  }

  /** Tells {@code progress} how far the run has got, instead of plain lines. */
  public RunSetup withProgress(ProgressListener progress) {
    return new RunSetup(
        users, out, confirmation, clock, options, report, journal, progress, retry, throttle);
  }

  /** Retries reads and writes that failed for a transient reason with {@code retry}. */
  public RunSetup withRetry(Retry retry) {
    return new RunSetup(
        users, out, confirmation, clock, options, report, journal, progress, retry, throttle);
  }

  /** Holds writes back to {@code throttle}'s rate. */
  public RunSetup withThrottle(Throttle throttle) {
    return new RunSetup(
        users, out, confirmation, clock, options, report, journal, progress, retry, throttle);
  }

  /** The journal of this run: none for a dry run, which records and holds nothing. */
  RunJournal activeJournal() {
    return options.dryRun() ? RunJournal.NONE : journal;
  }

  /**
   * Ends the journal with {@code status} and {@code counts}. When the run is failing already, an
   * error here is added to that {@code failure}, which is the one to report.
   */
  void endJournal(String status, Map<String, Long> counts, RuntimeException failure) {
    try {
      activeJournal().end(status, counts);
    } catch (RuntimeException e) {
      if (failure == null) {
        throw e;
      }
      failure.addSuppressed(e);
    }
  }
}
