package app.achievements.migration;

import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Function;
import org.bson.BsonDocument;

/**
 * Reads and converts the next pages on a thread of its own while {@link PageWriters} write the ones
 * before, so that reading and converting hide behind the writes. At most {@link #AHEAD} pages wait
 * in between: memory stays bounded by batch size × (that + the writers).
 */
final class PageReader implements AutoCloseable {

  static final int AHEAD = 2;

  /** A page as converted: its writes, its eligible users, and how many of them were rejected. */
  record Converted(List<PlannedWrite> writes, int eligible, int rejected) {}

  /** A converted page, the end, or the failure that stopped the reader. */
  private record Item(Converted page, RuntimeException failure, boolean end) {
    boolean last() {
      return end || failure != null;
    }
  }

  private static final Item END = new Item(null, null, true);

  private final BlockingQueue<Item> queue = new ArrayBlockingQueue<>(AHEAD);
  private final Thread thread;

  /**
   * Starts reading {@code pages}; {@code hasNext} asks for the next page (with retries), {@code
   * beforePage} may stop the reading by throwing, {@code convert} turns a page into its writes.
   */
  PageReader(
      Iterator<List<BsonDocument>> pages,
      java.util.function.BooleanSupplier hasNext,
      Runnable beforePage,
      Function<List<BsonDocument>, Converted> convert) {
    thread =
        new Thread(
            () -> {
              try {
                while (hasNext.getAsBoolean()) {
                  beforePage.run();
                  queue.put(new Item(convert.apply(pages.next()), null, false));
                }
                queue.put(END);
              } catch (RuntimeException e) {
                offer(new Item(null, e, false));
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "page-reader");
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * The next page, or null at the end; rethrows what stopped the reader. Safe for several callers:
   * the end and a failure stay in the queue for the next caller to see as well.
   */
  Converted next() {
    Item item;
    try {
      item = queue.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RunInterruptedException("interrupted while waiting for the next page");
    }
    if (item.last()) {
      queue.offer(item); // the reader has stopped: there is room
    }
    if (item.failure() != null) {
      throw item.failure();
    }
    return item.end() ? null : item.page();
  }

  private void offer(Item item) {
    try {
      queue.put(item);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Stops the reader if it still runs (a writer failed) and waits for it a little; from then on,
   * {@link #next} says the end to every caller.
   */
  @Override
  public void close() {
    thread.interrupt();
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    queue.clear();
    queue.offer(END);
  }
}
