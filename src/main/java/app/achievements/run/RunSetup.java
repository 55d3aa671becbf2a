package app.achievements.run;

import app.achievements.pace.InFlight;
import app.achievements.pace.Pace;
import app.achievements.store.Retry;
import app.achievements.store.RunJournal;
import app.achievements.store.UserStore;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;

/**
 * What a runner gets from outside: the users, where it talks to the operator, its clock and
 * options; and, where the defaults will not do, where the answer to its prompt comes from, where
 * report rows go, the journal of a real run (history and lock), who hears its progress, how
 * transient failures are retried, its pace (how fast it may write, and what holds its writes back),
 * and the run's stop signal. Built with {@link #builder}.
 *
 * <p>{@code stop} is the run's own: the operator's signals, the loss of its lock and the failure of
 * one of its threads all request it. The retry's and the pace's sleeps should be {@link
 * StopSignal#sleep} on it, so that a stop ends them at once.
 */
public final class RunSetup {

  /**
   * The connections a real run holds at once beside its writes: the page reader's, the monitor's
   * (lag, controls, status) and the lock's renewal.
   */
  public static final int CONNECTIONS_BESIDE_WRITES = 3;

  private final UserStore users;
  private final PrintWriter out;
  private final Clock clock;
  private final MigrationOptions options;
  private final Confirmation confirmation;
  private final ReportSink report;
  private final RunJournal journal;
  private final ProgressListener progress;
  private final Retry retry;
  private final Pace pace;
  private final InFlight inFlight;
  private final StopSignal stop;

  private RunSetup(Builder builder) {
    this.users = builder.users;
    this.out = builder.out;
    this.clock = builder.clock;
    this.options = builder.options;
    this.confirmation = builder.confirmation;
    this.report = builder.report;
    this.journal = builder.journal;
    this.progress =
        builder.progress != null ? builder.progress : new Progress(out, Progress.DEFAULT_INTERVAL);
    this.pace = builder.pace != null ? builder.pace : Pace.none(options.batchSize());
    // the run's retries tell its pace what they ride out: a smaller batch, an overload backoff
    this.retry = builder.retry.listening(this.pace);
    this.inFlight = builder.inFlight != null ? builder.inFlight : InFlight.fixed(options.writers());
    this.stop = builder.stop;
  }

  /** The setup of a run of {@code options} on {@code users}, talking on {@code out}. */
  public static Builder builder(
      UserStore users, PrintWriter out, Clock clock, MigrationOptions options) {
    return new Builder(users, out, clock, options);
  }

  /** The parts of a run's setup, each with its default. */
  public static final class Builder {
    private final UserStore users;
    private final PrintWriter out;
    private final Clock clock;
    private final MigrationOptions options;
    private Confirmation confirmation = Optional::empty;
    private ReportSink report = ReportSink.NONE;
    private RunJournal journal = RunJournal.NONE;
    private ProgressListener progress;
    private Retry retry = Retry.none();
    private Pace pace;
    private InFlight inFlight;
    private StopSignal stop = new StopSignal();

    private Builder(UserStore users, PrintWriter out, Clock clock, MigrationOptions options) {
      this.users = Objects.requireNonNull(users, "users");
      this.out = Objects.requireNonNull(out, "out");
      this.clock = Objects.requireNonNull(clock, "clock");
      this.options = Objects.requireNonNull(options, "options");
    }

    /** Where the answer to the prompt comes from (default: none, a refusal). */
    public Builder confirmation(Confirmation confirmation) {
      this.confirmation = Objects.requireNonNull(confirmation, "confirmation");
      return this;
    }

    /** Where a {@link ReportRow} for every user worth reporting goes (default: nowhere). */
    public Builder report(ReportSink report) {
      this.report = Objects.requireNonNull(report, "report");
      return this;
    }

    /** What records a real run and holds its lock (default: nothing). */
    public Builder journal(RunJournal journal) {
      this.journal = Objects.requireNonNull(journal, "journal");
      return this;
    }

    /** Who hears how far the run has got (default: a plain line at most every 5 s). */
    public Builder progress(ProgressListener progress) {
      this.progress = Objects.requireNonNull(progress, "progress");
      return this;
    }

    /** How reads and writes that failed for a transient reason are retried (default: never). */
    public Builder retry(Retry retry) {
      this.retry = Objects.requireNonNull(retry, "retry");
      return this;
    }

    /**
     * How fast the run may write and what holds its writes back (default: nothing, batches of the
     * options' size).
     */
    public Builder pace(Pace pace) {
      this.pace = Objects.requireNonNull(pace, "pace");
      return this;
    }

    /**
     * How many bulk writes may be on their way at once (default: always the options' writers, as
     * for a server next door).
     */
    public Builder inFlight(InFlight inFlight) {
      this.inFlight = Objects.requireNonNull(inFlight, "inFlight");
      return this;
    }

    /** The run's stop signal (default: one of its own, that only the run itself requests). */
    public Builder stop(StopSignal stop) {
      this.stop = Objects.requireNonNull(stop, "stop");
      return this;
    }

    public RunSetup build() {
      return new RunSetup(this);
    }
  }

  public UserStore users() {
    return users;
  }

  public PrintWriter out() {
    return out;
  }

  public Clock clock() {
    return clock;
  }

  public MigrationOptions options() {
    return options;
  }

  public Confirmation confirmation() {
    return confirmation;
  }

  public ReportSink report() {
    return report;
  }

  public ProgressListener progress() {
    return progress;
  }

  public Retry retry() {
    return retry;
  }

  public Pace pace() {
    return pace;
  }

  public InFlight inFlight() {
    return inFlight;
  }

  public StopSignal stop() {
    return stop;
  }

  /** The journal of this run: none for a dry run, which records and holds nothing. */
  RunJournal activeJournal() {
    return options.dryRun() ? RunJournal.NONE : journal;
  }
}
