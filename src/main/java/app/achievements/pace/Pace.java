package app.achievements.pace;

import app.achievements.store.LagSource;
import app.achievements.store.Retry;
import com.mongodb.MongoException;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The pace of one run that writes: the rate limit ({@link Throttle}), the size of the next bulk
 * write ({@link BatchSizer}), what holds the next one back ({@link Brake}), and where the lag is
 * read from. It hears what the run's retries ride out: a transient failure halves the next batch,
 * an overloaded server holds every write back for a while, uncounted.
 */
public final class Pace implements Retry.Listener {

  private final PaceOptions options;
  private final Throttle throttle;
  private final BatchSizer sizer;
  private final Brake brake;
  private final LagSource lagSource;
  private final Retry.Sleeper sleeper;

  /**
   * The pace of {@code options} for batches of at most {@code batchSize}, reading the lag from
   * {@code lagSource}; its waits sleep with {@code sleeper} (the run's stop signal's, so that a
   * stop ends them).
   */
  public Pace(PaceOptions options, int batchSize, LagSource lagSource, Retry.Sleeper sleeper) {
    this(
        options,
        new Throttle(options.maxRate(), sleeper),
        new BatchSizer(batchSize, options.batchTime()),
        new Brake(options.pauseFile(), options.maxLag(), options.staleAfter()),
        lagSource,
        sleeper);
  }

  /** Of these parts (tests: some of them fakes). */
  Pace(
      PaceOptions options,
      Throttle throttle,
      BatchSizer sizer,
      Brake brake,
      LagSource lagSource,
      Retry.Sleeper sleeper) {
    this.options = options;
    this.throttle = throttle;
    this.sizer = sizer;
    this.brake = brake;
    this.lagSource = lagSource;
    this.sleeper = sleeper;
  }

  /** No limit, no check, batches of {@code batchSize}: for runs that need no pace (tests). */
  public static Pace none(int batchSize) {
    return new Pace(PaceOptions.none(), batchSize, LagSource.NONE, Retry.Sleeper.REAL);
  }

  public PaceOptions options() {
    return options;
  }

  public Throttle throttle() {
    return throttle;
  }

  public BatchSizer sizer() {
    return sizer;
  }

  public Brake brake() {
    return brake;
  }

  public LagSource lagSource() {
    return lagSource;
  }

  /**
   * Sends {@code users} in one bulk write with {@code send}, at this pace: once nothing holds
   * writes back, paid for at the rate (each attempt, a retried one too, passes the brake and pays);
   * the time the attempt that went through took (not the waits) feeds the batch size.
   */
  public <T> T write(int users, Retry retry, String what, Supplier<T> send) {
    long[] took = new long[1];
    T result =
        retry.call(
            what,
            () ->
                brake.whileGoing(
                    sleeper,
                    () -> throttle.acquire(users),
                    () -> {
                      long started = System.nanoTime();
                      T sent = send.get();
                      took[0] = System.nanoTime() - started;
                      return sent;
                    }));
    sizer.written(users, Duration.ofNanos(took[0]));
    return result;
  }

  /** Where the pace stands now. */
  public PaceState state() {
    Brake.State writes = brake.state();
    if (writes.reason() == null && throttle.holding()) {
      writes =
          new Brake.State(
              "throttled", "held to --max-rate " + Brake.number(throttle.rate()) + " users/s");
    }
    return new PaceState(
        sizer.adaptive(),
        sizer.next(),
        sizer.max(),
        throttle.rate(),
        brake.maxLag(),
        brake.lag(),
        writes);
  }

  @Override
  public void retried(MongoException e) {
    sizer.transientError();
  }

  @Override
  public Duration overloaded(String reason) {
    sizer.transientError();
    return brake.overloaded(reason);
  }

  @Override
  public void recovered() {
    brake.recovered();
  }
}
