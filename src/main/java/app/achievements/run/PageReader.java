package app.achievements.run;

import app.achievements.rules.RejectReason;
import app.achievements.store.PlannedWrite;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;
import org.bson.BsonDocument;

/**
 * Reads and converts the next pages on a thread of its own while {@link PageWriters} write the ones
 * before, so that reading and converting hide behind the writes. A page read is converted into
 * parts of one bulk write each; at most {@link #QUEUED} parts ({@link #AHEAD} pages) wait in
 * between, and all the parts handed over and not yet done weigh {@code budget} at most (a part
 * alone may weigh more): memory stays bounded in bytes, whatever the batch size and the writers.
 *
 * <p>A part is counted ({@code accepted}) when it is handed over, under the same lock as {@link
 * #close}: a part is either in the run's counts and then written or given back as unfinished, or
 * (not handed over before the close) in neither. Whatever stops the reader, an {@link Error}
 * included, reaches every writer that asks for a page: none of them can be left waiting.
 */
final class PageReader implements AutoCloseable {

  static final int AHEAD = 2;

  /**
   * The most parts waiting in between: a page read is handed over in parts of a bulk write each, so
   * that the writers share its bulk writes (the last page's too) instead of one writer sending them
   * one after another.
   */
  static final int QUEUED = AHEAD * MigrationOptions.READ_PAGES;

  /**
   * A page as converted: its writes, its eligible users, and its rejected users with their reasons.
   * Its writes are settled in order, once each, under the page's lock: by the writer as it writes
   * them (a bulk write at a time), or all that are left by the run that gives the page up.
   */
  static final class Converted {
    private final List<PlannedWrite> writes;
    private final int eligible;
    private final List<Rejected> rejected;
    private final long weight;
    private int settled;
    private boolean givenUp;

    Converted(List<PlannedWrite> writes, int eligible, List<Rejected> rejected) {
      this(writes, eligible, rejected, 0);
    }

    /** As above, the page taking about {@code weight} bytes of memory until it is done. */
    Converted(List<PlannedWrite> writes, int eligible, List<Rejected> rejected, long weight) {
      this.writes = List.copyOf(writes);
      this.eligible = eligible;
      this.rejected = List.copyOf(rejected);
      this.weight = weight;
    }

    long weight() {
      return weight;
    }

    List<PlannedWrite> writes() {
      return writes;
    }

    int eligible() {
      return eligible;
    }

    List<Rejected> rejected() {
      return rejected;
    }

    /**
     * The next {@code count} writes are the writer's to count, unless the page was given up: then
     * false, and the run counted them already.
     */
    synchronized boolean settle(int count) {
      if (givenUp) {
        return false;
      }
      settled = Math.min(writes.size(), settled + count);
      return true;
    }

    /** Gives the page up: the writes not settled yet (none the second time), now the caller's. */
    synchronized List<PlannedWrite> giveUp() {
      if (givenUp) {
        return List.of();
      }
      givenUp = true;
      return writes.subList(settled, writes.size());
    }

    /** Whether every write was settled by the writer, and so the page is written. */
    synchronized boolean written() {
      return !givenUp && settled == writes.size();
    }
  }

  /** A user that cannot be converted, and why. */
  record Rejected(BsonDocument user, RejectReason reason) {}

  private final Deque<Converted> queue = new ArrayDeque<>();
  private final Consumer<Converted> accepted;
  private final Consumer<List<Converted>> unfinished;
  private final Consumer<Throwable> failed;
  private final Thread thread;
  private final long budget;
  private final long pageWeight;

  /** The weight of the pages handed over and not done yet: queued, or in a writer's hands. */
  private long inFlight;

  /** The weight the reader waits to find room for (-1: none), and whether for the queue too. */
  private long waiting = -1;

  private boolean waitingForTheQueue;

  private boolean finished;
  private boolean endedBeforeClose;
  private boolean closed;
  private Throwable failure;

  /**
   * Starts reading {@code pages}: {@code hasNext} asks for the next page (with retries), {@code
   * beforePage} may stop the reading by throwing, {@code convert} turns a page into its parts,
   * {@code accepted} counts a page handed over, {@code unfinished} gets the pages that were handed
   * over but never taken by a writer once the reader is closed, and {@code failed} hears at once of
   * whatever stopped the reader (not closed), so that the run stops without waiting for a writer to
   * ask for a page.
   */
  PageReader(
      Iterator<List<BsonDocument>> pages,
      BooleanSupplier hasNext,
      Runnable beforePage,
      Function<List<BsonDocument>, List<Converted>> convert,
      Consumer<Converted> accepted,
      Consumer<List<Converted>> unfinished,
      Consumer<Throwable> failed) {
    this(pages, hasNext, beforePage, convert, accepted, unfinished, failed, Long.MAX_VALUE, 0);
  }

  /**
   * As above, a page waiting to be handed over while the pages in flight and it would weigh more
   * than {@code budget} together (unless none is in flight: a page heavier than the budget goes
   * alone), and the next page not read while a page of {@code pageWeight} would not fit either, so
   * that heavy pages are not read ahead only to wait. Writers say {@link #done} of each page they
   * took.
   */
  PageReader(
      Iterator<List<BsonDocument>> pages,
      BooleanSupplier hasNext,
      Runnable beforePage,
      Function<List<BsonDocument>, List<Converted>> convert,
      Consumer<Converted> accepted,
      Consumer<List<Converted>> unfinished,
      Consumer<Throwable> failed,
      long budget,
      long pageWeight) {
    this.budget = budget;
    this.pageWeight = pageWeight;
    this.accepted = accepted;
    this.unfinished = unfinished;
    this.failed = failed;
    thread =
        new Thread(
            () -> {
              try {
                while (true) {
                  beforePage.run();
                  if (!awaitRoom(pageWeight) || !hasNext.getAsBoolean()) {
                    break;
                  }
                  for (Converted part : convert.apply(pages.next())) {
                    if (!handOver(part)) {
                      return;
                    }
                  }
                }
                finish(null);
              } catch (Throwable e) { // an Error too: no writer may wait for a dead reader
                if (finish(e)) {
                  failed.accept(e);
                }
              }
            },
            "page-reader");
    thread.setDaemon(true);
    thread.start();
  }

  /** Waits until a page of {@code weight} fits in the budget; false once closed. */
  private synchronized boolean awaitRoom(long weight) throws InterruptedException {
    while (mustWait(weight, false)) {
      waiting = weight;
      wait();
    }
    waiting = -1;
    return !closed;
  }

  /** Whether a page of {@code weight} must wait for the budget (and, if it counts, the queue). */
  private boolean mustWait(long weight, boolean forTheQueue) {
    return !closed
        && ((forTheQueue && queue.size() >= QUEUED)
            || (inFlight > 0 && inFlight + weight > budget));
  }

  /**
   * Waits for room in the queue and in the budget, then counts and queues {@code page}; false once
   * closed (page dropped).
   */
  private boolean handOver(Converted page) throws InterruptedException {
    synchronized (this) {
      while (mustWait(page.weight(), true)) {
        waiting = page.weight();
        waitingForTheQueue = true;
        wait();
      }
      waiting = -1;
      waitingForTheQueue = false;
      if (closed) {
        return false;
      }
      accepted.accept(page);
      if (closed) {
        // counting this very page stopped the run (its report failed): it is counted, not taken
        unfinished.accept(List.of(page));
        return false;
      }
      queue.add(page);
      inFlight += page.weight();
      notifyAll();
      return true;
    }
  }

  /** Ends the reading with {@code e} (null: the end); whether that is news (not closed). */
  private synchronized boolean finish(Throwable e) {
    finished = true;
    failure = e;
    endedBeforeClose = !closed;
    notifyAll();
    return !closed;
  }

  /**
   * The next page, or null at the end or once closed; rethrows what stopped the reader. Safe for
   * several callers: each sees the end, or the failure.
   */
  synchronized Converted next() {
    while (queue.isEmpty() && !finished && !closed) {
      try {
        wait();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new RunInterruptedException("interrupted while waiting for the next page");
      }
    }
    Converted page = queue.poll();
    if (page != null) {
      notifyAll();
      return page;
    }
    if (closed) {
      return null;
    }
    if (failure instanceof RuntimeException e) {
      throw e;
    }
    if (failure instanceof Error e) {
      throw e;
    }
    if (failure != null) {
      throw new IllegalStateException(failure);
    }
    return null;
  }

  /**
   * Whether the reader waits, and would still wait now, for room in the budget or queue (tests).
   */
  synchronized boolean waitingForRoom() {
    return waiting >= 0 && mustWait(waiting, waitingForTheQueue);
  }

  /** A writer is done with {@code page} (written, or not): its weight is free again. */
  synchronized void done(Converted page) {
    inFlight -= page.weight();
    notifyAll();
  }

  /** Whether the reader read every page to the end, with no failure and before any close. */
  synchronized boolean readToTheEnd() {
    return finished && failure == null && queue.isEmpty() && endedBeforeClose;
  }

  /** Waits up to {@code timeout} for the reading thread to end; whether it has. */
  boolean awaitEnd(Duration timeout) throws InterruptedException {
    thread.join(Math.max(1, timeout.toMillis()));
    return !thread.isAlive();
  }

  /**
   * Stops the reader if it still runs (the run stopped, or a writer failed): from then on, {@link
   * #next} says the end to every caller, and the pages still queued go to {@code unfinished}.
   * Idempotent.
   */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      // Counted under the lock: a second caller (the run's end, while a stop's listener closes)
      // returns only once the pages given back are in the counts.
      List<Converted> left = List.copyOf(queue);
      queue.clear();
      notifyAll();
      if (!left.isEmpty()) {
        unfinished.accept(left);
      }
    }
    thread.interrupt();
  }
}
