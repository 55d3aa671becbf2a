package app.achievements.pace;

import java.time.Duration;

/**
 * How many users go in the next bulk write. Fixed at {@code --batch-size} unless a target time is
 * set ({@code --batch-time}, pt-online-schema-change's {@code --chunk-time}): then the size follows
 * the server, from a moving average of recent batches (users and time, each decayed by {@link
 * #WEIGHT} per batch, as pt-osc weighs its rate), so that a bulk write takes about the target;
 * within {@link #FLOOR} (or {@code --batch-size}, if smaller) and {@code --batch-size}. It starts
 * at {@link #START}, at most doubles from one batch to the next (a server that was idle a moment
 * ago gets no sudden large batch), and halves after a transient error. Writers share it.
 */
public final class BatchSizer {

  static final int FLOOR = 10;
  static final int START = 100;
  static final double WEIGHT = 0.75;

  private final Duration target;
  private int max;
  private double size;
  private double users;
  private double nanos;

  /** A size of {@code max} always, or following {@code target} (null or zero: fixed). */
  public BatchSizer(int max, Duration target) {
    if (max < 1) {
      throw new IllegalArgumentException("max < 1");
    }
    this.target = target == null || target.isZero() ? null : target;
    this.max = max;
    this.size = this.target == null ? max : Math.min(max, START);
  }

  /** Whether the size follows the server. */
  public boolean adaptive() {
    return target != null;
  }

  /** The size of the next bulk write. */
  public synchronized int next() {
    return (int) Math.max(floor(), Math.min(max, Math.round(size)));
  }

  /** The most users a batch may hold ({@code --batch-size}, or what {@code set} made it). */
  public synchronized int max() {
    return max;
  }

  /** From now on, at most {@code max} users a batch; a fixed size becomes {@code max}. */
  public synchronized void setMax(int max) {
    if (max < 1) {
      throw new IllegalArgumentException("max < 1");
    }
    this.max = max;
    size = target == null ? max : Math.min(size, max);
  }

  /** A bulk write of {@code count} users took {@code took}: the next size follows. */
  public synchronized void written(int count, Duration took) {
    if (target == null || count == 0) {
      return;
    }
    users = users * WEIGHT + count;
    nanos = nanos * WEIGHT + Math.max(1, took.toNanos());
    double wanted = users / nanos * target.toNanos();
    size = clamp(Math.min(wanted, 2 * size));
  }

  /** A bulk write failed for a transient reason: the next one is half as large. */
  public synchronized void transientError() {
    if (target != null) {
      size = clamp(size / 2);
    }
  }

  private double clamp(double wanted) {
    return Math.max(floor(), Math.min(max, wanted));
  }

  private int floor() {
    return Math.min(FLOOR, max);
  }
}
