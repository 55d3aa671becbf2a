package app.achievements.run;

import app.achievements.pace.Pace;
import app.achievements.pace.PaceState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Where a run stands, for its progress listener and for {@code status}: what the writers have
 * written so far (not what the reader converted ahead), the rate over the last {@link #WINDOW} (0
 * while writes are held back, and measured afresh after them), and the pace. The listener hears it
 * after every page and every check interval, so that a run held back still shows why. Thread-safe:
 * writers add, the monitor ticks.
 */
final class RunProgress {

  /** The span the recent rate is measured over. */
  static final Duration WINDOW = Duration.ofSeconds(30);

  /** Counts that the run keeps elsewhere ({@link Tally}, the rollback's counts). */
  interface Counts {
    long done();

    long failed();
  }

  private record Sample(long millis, long processed) {}

  private final ProgressListener listener;
  private final ProgressListener.Labels labels;
  private final long expected;
  private final Pace pace;
  private final Counts counts;
  private final Clock clock;
  private final Instant started;
  private final Deque<Sample> samples = new ArrayDeque<>();
  private long processed;
  private long rejected;

  /**
   * The progress of a run whose counts are called {@code labels}, with {@code expected} users to
   * process (-1: not counted), heard by {@code listener}; time is {@code clock}'s.
   */
  RunProgress(
      ProgressListener listener,
      ProgressListener.Labels labels,
      long expected,
      Pace pace,
      Counts counts,
      Clock clock) {
    this.listener = listener;
    this.labels = labels;
    this.expected = expected;
    this.pace = pace;
    this.counts = counts;
    this.clock = clock;
    this.started = clock.instant();
    samples.add(new Sample(started.toEpochMilli(), 0));
  }

  /** A page is written: {@code eligible} users processed, {@code rejected} of them rejected. */
  synchronized void add(long eligible, long rejected) {
    add(eligible, rejected, () -> {});
  }

  /**
   * As above, {@code counted} counting their outcomes (in the counts this reads) at the same time:
   * under this progress's lock, so that no snapshot sees the outcomes without the users processed.
   */
  synchronized void add(long eligible, long rejected, Runnable counted) {
    counted.run();
    processed += eligible;
    this.rejected += rejected;
    tick();
  }

  /** Tells the listener where the run stands. */
  synchronized void tick() {
    listener.progress(snapshot());
  }

  synchronized ProgressListener.Snapshot snapshot() {
    Instant at = clock.instant();
    long now = at.toEpochMilli();
    PaceState pace = this.pace.state();
    long recent;
    if (pace.writes().name().startsWith("paus")) {
      // held back: nothing goes now, and no rate or ETA from before the hold is today's
      samples.clear();
      samples.add(new Sample(now, processed));
      recent = 0;
    } else {
      samples.add(new Sample(now, processed));
      while (samples.size() > 2 && now - samples.peekFirst().millis() > WINDOW.toMillis()) {
        samples.removeFirst();
      }
      Sample first = samples.peekFirst();
      long span = now - first.millis();
      // a rate needs a second's worth of samples; before that, the overall one is shown
      recent = span < 1000 ? -1 : (processed - first.processed()) * 1000 / span;
    }
    return new ProgressListener.Snapshot(
        labels,
        processed,
        expected,
        counts.done(),
        rejected,
        counts.failed(),
        Duration.between(started, at),
        recent,
        pace);
  }
}
