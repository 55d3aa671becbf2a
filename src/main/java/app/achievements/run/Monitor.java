package app.achievements.run;

import app.achievements.pace.Brake;
import app.achievements.pace.Pace;
import app.achievements.pace.PaceState;
import app.achievements.store.LagReading;
import app.achievements.store.RunControl;
import app.achievements.store.RunJournal;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.bson.BsonBoolean;
import org.bson.BsonDateTime;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a real run does every check interval ({@code --check-interval}), on a thread of its own:
 * reads the replication lag into the {@link Brake} (while {@code --max-lag} is on), publishes the
 * run's status beside its lock and reads back what operators asked with {@code pause}, {@code
 * resume} and {@code set} ({@link RunJournal#exchange}), applies that, records it in the history
 * entry and says so on the run's output, and lets the progress listener show where the run stands
 * even while nothing is written.
 *
 * <p>Every step is one bounded operation. One that fails is logged and done again at the next
 * interval: meanwhile a lag that is not read goes stale and holds writes back (the brake fails
 * closed), and a lock that is gone stops the run through the journal.
 */
final class Monitor implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Monitor.class);

  private final String command;
  private final Pace pace;
  private final RunJournal journal;
  private final RunProgress progress;
  private final PrintWriter out;
  private final Clock clock;
  private final Duration interval;
  private final CountDownLatch closed = new CountDownLatch(1);
  private final Thread thread;
  private boolean standalone;
  private long applied;
  private boolean paused;

  private Monitor(String command, RunSetup setup, RunProgress progress) {
    this.command = command;
    this.pace = setup.pace();
    this.journal = setup.activeJournal();
    this.progress = progress;
    this.out = setup.out();
    this.clock = setup.clock();
    this.interval = pace.options().checkInterval();
    this.thread = new Thread(this::loop, "monitor");
    thread.setDaemon(true);
  }

  /**
   * The monitor of a run of {@code command} ({@code migrate}, {@code rollback}) in {@code setup},
   * started; null when there is nothing to monitor: a dry run (it writes nothing and holds no
   * lock), or a run with neither a journal nor a lag to check (tests).
   */
  static Monitor of(String command, RunSetup setup, RunProgress progress) {
    if (setup.options().dryRun()
        || (setup.activeJournal() == RunJournal.NONE && setup.pace().options().maxLag().isZero())) {
      return null;
    }
    Monitor monitor = new Monitor(command, setup, progress);
    monitor.pace.brake().onChange(monitor::say);
    monitor.thread.start();
    return monitor;
  }

  private void loop() {
    try {
      do {
        try {
          step();
        } catch (RuntimeException e) { // looked at again at the next interval
          log.warn("The run's check failed: {}", e.toString());
        }
      } while (!closed.await(interval.toMillis(), TimeUnit.MILLISECONDS));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Error e) { // the brake's staleness holds writes back; the lease stands
      log.warn("The run's monitor stopped: {}", e.toString());
    }
  }

  /** One check: the lag, the status and the controls, the hold, the progress. */
  void step() {
    Brake brake = pace.brake();
    if (!brake.maxLag().isZero() && !standalone) {
      LagReading lag = pace.lagSource().read();
      standalone = lag instanceof LagReading.Standalone;
      brake.lag(lag);
    }
    try {
      RunControl control = journal.exchange(status());
      if (control != null && apply(control)) {
        journal.exchange(status()); // the operator sees it applied without another interval
      }
    } catch (RuntimeException e) {
      log.warn("Could not publish the run's status or read its controls: {}", e.toString());
    }
    brake.check();
    progress.tick();
  }

  /** Applies what {@code control} asks that this run has not applied yet; whether it did. */
  private boolean apply(RunControl control) {
    if (control.seq() <= applied) {
      return false;
    }
    applied = control.seq();
    List<String> changes = new ArrayList<>();
    BsonDocument record =
        new BsonDocument("seq", new BsonInt64(control.seq()))
            .append("at", new BsonDateTime(clock.millis()))
            .append("by", new BsonString(String.valueOf(control.by())));
    if (control.paused() != null && control.paused() != paused) {
      paused = control.paused();
      if (paused) {
        pace.brake().pause(control.by());
      } else {
        pace.brake().resume();
      }
      record.append("paused", BsonBoolean.valueOf(paused));
    }
    Double rate = control.maxRate();
    if (rate != null && rate != pace.throttle().rate()) {
      if (rate >= 0 && !rate.isInfinite()) {
        pace.throttle().setRate(rate);
        changes.add("max rate " + (rate == 0 ? "none" : number(rate) + " users/s"));
        record.append("maxRate", new BsonDouble(rate));
      } else {
        say("Ignored a max rate of " + rate + " from " + control.by() + ".");
      }
    }
    Integer size = control.batchSize();
    if (size != null && size != pace.sizer().max()) {
      if (size >= MigrationOptions.MIN_BATCH_SIZE && size <= MigrationOptions.MAX_BATCH_SIZE) {
        pace.sizer().setMax(size);
        changes.add("batch size " + size);
        record.append("batchSize", new BsonInt32(size));
      } else {
        say("Ignored a batch size of " + size + " from " + control.by() + ".");
      }
    }
    Double lag = control.maxLagSeconds();
    if (lag != null && !Duration.ofMillis(Math.round(lag * 1000)).equals(pace.brake().maxLag())) {
      if (lag == 0 || (lag >= 0.001 && lag <= 86_400)) {
        pace.brake().setMaxLag(Duration.ofMillis(Math.round(lag * 1000)));
        changes.add("max lag " + (lag == 0 ? "off" : number(lag) + " s"));
        record.append("maxLag", new BsonDouble(lag));
      } else {
        say("Ignored a max lag of " + lag + " s from " + control.by() + ".");
      }
    }
    boolean pausedOrResumed = record.containsKey("paused");
    if (pausedOrResumed) {
      say(
          paused
              ? "Paused by " + control.by() + ": no new batch until resume."
              : "Resumed by " + control.by() + ".");
    }
    if (!changes.isEmpty()) {
      say("Changed by " + control.by() + ": " + String.join(", ", changes) + ".");
    }
    if (pausedOrResumed || !changes.isEmpty()) {
      try {
        journal.recordControl(record);
      } catch (RuntimeException e) {
        log.warn("Could not record a control in the history: {}", e.toString());
      }
    }
    return true;
  }

  /** The run's status as {@code status} shows it, published beside the lock. */
  private BsonDocument status() {
    ProgressListener.Snapshot snapshot = progress.snapshot();
    PaceState state = snapshot.pace();
    BsonDocument status =
        new BsonDocument("command", new BsonString(command))
            .append("state", new BsonString(state.writes().name()))
            .append("processed", new BsonInt64(snapshot.processed()))
            .append("expected", new BsonInt64(snapshot.expected()))
            .append("done", new BsonInt64(snapshot.migrated()))
            .append("rejected", new BsonInt64(snapshot.rejected()))
            .append("failed", new BsonInt64(snapshot.failed()))
            .append("usersPerSecond", new BsonInt64(snapshot.rate()))
            .append("elapsedMs", new BsonInt64(snapshot.elapsed().toMillis()))
            .append("batchSize", new BsonInt32(state.batchSize()))
            .append("maxBatchSize", new BsonInt32(state.maxBatchSize()))
            .append("maxRate", new BsonDouble(state.maxRate()))
            .append("maxLagSeconds", new BsonDouble(state.maxLag().toMillis() / 1000.0))
            .append("checkIntervalMs", new BsonInt64(interval.toMillis()))
            .append("control", new BsonInt64(applied))
            .append("at", new BsonDateTime(clock.millis()));
    if (state.writes().reason() != null) {
      status.append("reason", new BsonString(state.writes().reason()));
    }
    if (snapshot.eta() != null) {
      status.append("etaSeconds", new BsonInt64(snapshot.eta().toSeconds()));
    }
    if (state.lag() instanceof LagReading.Measured measured) {
      status.append("lagSeconds", new BsonDouble(measured.lag().toMillis() / 1000.0));
      if (measured.member() != null) {
        status.append("lagMember", new BsonString(measured.member()));
      }
    }
    if (state.lagText() != null) {
      status.append("lag", new BsonString(state.lagText()));
    }
    return status;
  }

  private void say(String line) {
    out.println(line);
    out.flush();
    log.info(line);
  }

  private static String number(double value) {
    return value == Math.rint(value)
        ? Long.toString((long) value)
        : String.format(Locale.ROOT, "%.1f", value);
  }

  /** Stops monitoring; waits for a step under way (each is bounded) at most a little while. */
  @Override
  public void close() {
    closed.countDown();
    try {
      thread.join(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
