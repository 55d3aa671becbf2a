package app.achievements.pace;

import app.achievements.store.LagReading;
import app.achievements.store.Retry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Random;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * What holds a run's next batch back, and why: the operator's {@code pause}, a {@code --pause-file}
 * that exists, an overloaded server, or replication lag over {@code --max-lag} or unknown. Every
 * bulk write passes it just before it is sent ({@link #whileGoing}), and waits while any of these
 * holds. It fails closed: a lag that cannot be read, or whose last reading is older than {@code
 * staleAfter}, holds writes back like a lag over the limit.
 *
 * <p>It also counts the bulk writes on the wire, so that a pause can say when none is left ({@link
 * #state}): checking the hold and counting the write happen under one lock, so a pause that is
 * applied either sees the write counted or stops it before it goes.
 */
public final class Brake {

  /** Why writes are held back; the first that applies, in this order, is the one shown. */
  public enum Kind {
    PAUSED,
    PAUSE_FILE,
    OVERLOADED,
    LAG_OVER,
    LAG_UNKNOWN
  }

  /** Writes are held back for {@code reason}, a phrase for people ("paused: lag 14.2 s > 10 s"). */
  public record Hold(Kind kind, String reason) {}

  /** How often a held write looks again. */
  static final Duration POLL = Duration.ofMillis(100);

  static final Duration FIRST_BACKOFF = Duration.ofMillis(500);
  static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

  private final Path pauseFile;
  private final Duration staleAfter;
  private final LongSupplier nanoTime;
  private final Random random;
  private Duration maxLag;
  private LagReading lag;
  private long lagReadAt;
  private String pausedBy;
  private long overloadedUntil;
  private String overload;
  private int overloads;
  private int inFlight;
  private Kind shown;
  private Consumer<String> changes = line -> {};

  /**
   * Holds writes back while {@code pauseFile} (null: none) exists, and while the lag is over {@code
   * maxLag} (zero: not checked) or its last reading is older than {@code staleAfter}.
   */
  public Brake(Path pauseFile, Duration maxLag, Duration staleAfter) {
    this(pauseFile, maxLag, staleAfter, System::nanoTime, new Random());
  }

  /**
   * As above, on {@code nanoTime}, with the backoff's jitter from {@code random} (tests: fakes).
   */
  Brake(
      Path pauseFile, Duration maxLag, Duration staleAfter, LongSupplier nanoTime, Random random) {
    this.pauseFile = pauseFile;
    this.maxLag = maxLag;
    this.staleAfter = staleAfter;
    this.nanoTime = nanoTime;
    this.random = random;
  }

  /**
   * Where a line goes each time writes stop being held back, or start being held for a new kind.
   */
  public synchronized void onChange(Consumer<String> changes) {
    this.changes = changes;
  }

  /** The latest reading of the lag. */
  public synchronized void lag(LagReading reading) {
    lag = reading;
    lagReadAt = nanoTime.getAsLong();
  }

  /**
   * The latest reading of the lag, or null before the first; unknown once it is older than it may
   * be (what it said then is not the lag now).
   */
  public synchronized LagReading lag() {
    long age = nanoTime.getAsLong() - lagReadAt;
    if (lag != null && !(lag instanceof LagReading.Standalone) && age > staleAfter.toNanos()) {
      return new LagReading.Unknown("no reading for " + seconds(Duration.ofNanos(age)));
    }
    return lag;
  }

  /**
   * From now on, writes wait while the lag is over {@code maxLag}; zero: the lag is not checked.
   */
  public synchronized void setMaxLag(Duration maxLag) {
    this.maxLag = maxLag;
  }

  public synchronized Duration maxLag() {
    return maxLag;
  }

  /** The operator paused the run: {@code by} says who, for people ("pause from alice@bastion"). */
  public synchronized void pause(String by) {
    pausedBy = by;
  }

  /** The operator resumed the run. */
  public synchronized void resume() {
    pausedBy = null;
  }

  /**
   * The server said it is overloaded ({@code reason}): every write waits, the one that failed
   * included, for a backoff that doubles with each overload in a row (from {@link #FIRST_BACKOFF}
   * to {@link #MAX_BACKOFF}, half of it random); returns it.
   */
  public synchronized Duration overloaded(String reason) {
    long cap =
        Math.min(MAX_BACKOFF.toMillis(), FIRST_BACKOFF.toMillis() << Math.min(overloads, 20));
    overloads++;
    Duration backoff = Duration.ofMillis(cap / 2 + (long) (random.nextDouble() * (cap / 2.0)));
    overloadedUntil = Math.max(overloadedUntil, nanoTime.getAsLong() + backoff.toNanos());
    overload = reason;
    return backoff;
  }

  /** A write went through after overloads: the next overload starts again from the first wait. */
  public synchronized void recovered() {
    overloads = 0;
  }

  /** What holds writes back now, or null when they may go. */
  public synchronized Hold hold() {
    long now = nanoTime.getAsLong();
    if (pausedBy != null) {
      return new Hold(Kind.PAUSED, "paused by " + pausedBy);
    }
    if (pauseFile != null && Files.exists(pauseFile)) {
      return new Hold(Kind.PAUSE_FILE, "paused: " + pauseFile + " exists (--pause-file)");
    }
    if (now - overloadedUntil < 0) {
      return new Hold(Kind.OVERLOADED, "backing off: " + overload);
    }
    if (maxLag.isZero()) {
      return null;
    }
    if (lag == null) {
      return new Hold(Kind.LAG_UNKNOWN, "paused: the replication lag has not been read yet");
    }
    if (lag instanceof LagReading.Standalone) {
      return null;
    }
    if (now - lagReadAt > staleAfter.toNanos()) {
      return new Hold(
          Kind.LAG_UNKNOWN,
          "paused: lag unknown (no reading for "
              + seconds(Duration.ofNanos(now - lagReadAt))
              + ")");
    }
    if (lag instanceof LagReading.Measured measured) {
      return measured.lag().compareTo(maxLag) > 0
          ? new Hold(
              Kind.LAG_OVER,
              "paused: lag "
                  + seconds(measured.lag())
                  + " > "
                  + seconds(maxLag)
                  + " ("
                  + measured.member()
                  + ")")
          : null;
    }
    String why =
        lag instanceof LagReading.Unknown unknown
            ? unknown.why()
            : ((LagReading.Unreadable) lag).why();
    return new Hold(Kind.LAG_UNKNOWN, "paused: lag unknown (" + why + ")");
  }

  /**
   * Looks at the hold and tells {@link #onChange} if it changed kind; returns it. The monitor calls
   * this every check interval, so that a change shows even while no write is waiting. The
   * operator's pause and resume are not told: whoever applies them says so, naming who asked.
   */
  public Hold check() {
    Hold hold;
    String line = null;
    synchronized (this) {
      hold = hold();
      Kind kind = hold == null ? null : hold.kind();
      if (kind != shown) {
        boolean operators = kind == Kind.PAUSED || (kind == null && shown == Kind.PAUSED);
        if (!operators) {
          line = hold == null ? "Writing again." : capitalized(hold.reason());
        }
        shown = kind;
      }
    }
    if (line != null) {
      changes.accept(line);
    }
    return hold;
  }

  /** As {@link #whileGoing(Retry.Sleeper, Runnable, Supplier)}, with nothing to wait for first. */
  public <T> T whileGoing(Retry.Sleeper sleeper, Supplier<T> send) {
    return whileGoing(sleeper, () -> {}, send);
  }

  /**
   * Runs {@code send} once nothing holds writes back, counted as on the wire while it runs. Waits
   * meanwhile in steps of {@link #POLL} with {@code sleeper}, which ends the wait (by throwing)
   * once the run is stopped; then runs {@code first} (the rate's wait), and if something began to
   * hold writes back meanwhile, waits again and runs {@code first} again: a writer paused while it
   * waited for the rate does not go at once when the pause ends.
   */
  public <T> T whileGoing(Retry.Sleeper sleeper, Runnable first, Supplier<T> send) {
    while (true) {
      awaitGo(sleeper);
      first.run();
      synchronized (this) {
        if (hold() == null) {
          inFlight++;
          break;
        }
      }
    }
    try {
      return send.get();
    } finally {
      synchronized (this) {
        inFlight--;
      }
    }
  }

  /** Returns once nothing holds writes back (it may hold them again at once). */
  private void awaitGo(Retry.Sleeper sleeper) {
    while (true) {
      synchronized (this) {
        if (hold() == null) {
          return;
        }
      }
      check();
      if (Thread.currentThread().isInterrupted()) {
        throw new IllegalStateException("interrupted while writes were held back");
      }
      try {
        sleeper.sleep(POLL);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while writes were held back", e);
      }
    }
  }

  /**
   * Where writes stand, for people and for {@code status}: {@code running}, {@code pausing} (held
   * back, with a write still on the wire) or {@code paused}, and the reason.
   */
  public synchronized State state() {
    Hold hold = hold();
    if (hold == null) {
      return new State("running", null);
    }
    return new State(inFlight > 0 ? "pausing" : "paused", hold.reason());
  }

  /** Where writes stand: {@code running}, {@code pausing} or {@code paused}, and why (or null). */
  public record State(String name, String reason) {
    /** "running", or the reason. */
    @Override
    public String toString() {
      return reason == null ? name : reason;
    }
  }

  /** {@code 500}, {@code 0.5}: a number as people read it. */
  public static String number(double value) {
    return value == Math.rint(value) && Math.abs(value) < 1e15
        ? Long.toString((long) value)
        : Double.toString(value);
  }

  /** {@code 10 s}, {@code 14.2 s}: seconds to a tenth, as people read a lag. */
  public static String seconds(Duration duration) {
    long tenths = Math.round(duration.toMillis() / 100.0);
    return tenths % 10 == 0
        ? tenths / 10 + " s"
        : String.format(Locale.ROOT, "%.1f s", tenths / 10.0);
  }

  private static String capitalized(String reason) {
    return Character.toUpperCase(reason.charAt(0)) + reason.substring(1) + ".";
  }
}
