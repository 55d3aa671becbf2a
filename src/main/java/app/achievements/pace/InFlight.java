package app.achievements.pace;

import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * How many bulk writes may be on their way at once. {@code --writers} says how many the server is
 * to apply at once; next to the server that is also how many are sent at once. Far from it, each
 * write also spends a round trip on the network, during which the server would sit idle: so the
 * window widens until that many are at the server again. A write that takes {@code T}, of which
 * {@code R} is the round trip, spends {@code S = T - R} at the server, and {@code writers × T / S}
 * on their way (to the nearest) keep {@code writers} at the server; never fewer than the writers,
 * never more than {@link #SPREAD} times as many nor {@link #MOST} in all.
 *
 * <p>{@code R} is the least of the driver's heartbeat round trip (the least of its recent ones once
 * it has two) and the quickest write seen, as no write is quicker than a round trip; {@code T}
 * follows the writes (a moving average). A server that slows down under the load, its queue growing
 * {@code S}, narrows the window by itself; whatever {@code R} says, the window never holds more
 * than {@link #SPREAD} times the writers.
 */
public final class InFlight {

  /** How many times the writers the window may widen to. */
  public static final int SPREAD = 4;

  /** The most bulk writes on their way at once, whatever the writers. */
  public static final int MOST = 16;

  private static final long POLL_MILLIS = 50;

  private final int writers;
  private final int most;
  private final LongSupplier roundTripNanos;
  private int window;
  private int sending;
  private long averageNanos;
  private long quickestNanos = Long.MAX_VALUE;

  /**
   * A window for {@code writers} at the server, the round trip read from {@code roundTripNanos} (0
   * or less: not known, the window stays at the writers).
   */
  public InFlight(int writers, LongSupplier roundTripNanos) {
    this(writers, widest(writers), roundTripNanos);
  }

  /**
   * As above, within {@code connections}: those of the client's pool that the writes may hold at
   * once. The window never holds more writes than that, so that a write that passed its stop check
   * never waits for a connection that another holds; when they are fewer than {@code writers},
   * fewer writers go at once ({@link #writers}).
   */
  public static InFlight within(int writers, int connections, LongSupplier roundTripNanos) {
    if (connections < 1) {
      throw new IllegalArgumentException("connections < 1");
    }
    int at = Math.min(writers, connections);
    return new InFlight(at, Math.max(at, Math.min(connections, widest(writers))), roundTripNanos);
  }

  /** The widest window for {@code writers}. */
  private static int widest(int writers) {
    return Math.max(writers, Math.min(MOST, writers * SPREAD));
  }

  private InFlight(int writers, int most, LongSupplier roundTripNanos) {
    if (writers < 1) {
      throw new IllegalArgumentException("writers < 1");
    }
    this.writers = writers;
    this.most = most;
    this.roundTripNanos = roundTripNanos;
    this.window = writers;
  }

  /** Always {@code writers} on their way: for a server next door, or tests. */
  public static InFlight fixed(int writers) {
    return new InFlight(writers, writers, () -> 0);
  }

  /** How many writes the server is to apply at once: the narrowest the window is. */
  public int writers() {
    return writers;
  }

  /** How many writes the window may ever hold: the writers' threads. */
  public int most() {
    return most;
  }

  /** How many writes may be on their way now. */
  public synchronized int window() {
    return window;
  }

  /**
   * Waits for room in the window and takes it; once {@code stopped} says so, takes it without
   * waiting (the write's own stop check then sends nothing). {@link #release} gives it back.
   */
  public synchronized void acquire(BooleanSupplier stopped) {
    while (sending >= window && !stopped.getAsBoolean()) {
      try {
        wait(POLL_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    sending++;
  }

  /** A write that was sent took {@code nanos}, from its sending to its answer. */
  public synchronized void took(long nanos) {
    if (nanos <= 0) {
      return;
    }
    quickestNanos = Math.min(quickestNanos, nanos);
    averageNanos = averageNanos == 0 ? nanos : (3 * averageNanos + nanos) / 4;
    long roundTrip = Math.min(roundTripNanos.getAsLong(), quickestNanos);
    if (roundTrip <= 0) {
      window = writers;
      return;
    }
    long atServer = Math.max(averageNanos - roundTrip, averageNanos / SPREAD);
    long wanted = (writers * averageNanos + atServer / 2) / atServer; // to the nearest
    window = (int) Math.max(writers, Math.min(most, wanted));
    notifyAll();
  }

  /** Gives back the room {@link #acquire} took. */
  public synchronized void release() {
    sending--;
    notifyAll();
  }
}
