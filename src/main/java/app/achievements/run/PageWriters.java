package app.achievements.run;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Consumer;

/**
 * The writing end of the pipeline: {@code count} threads, each taking the next converted page from
 * the {@link PageReader} as soon as it is free and writing it, so that one writer's bulk write is
 * on the wire while another one's is being applied.
 *
 * <p>A writer that fails stops the run ({@link StopSignal.Reason#FAILED}): the reader is closed,
 * the other writers send nothing more (every send checks the stop first) and take no more pages.
 * Once the run is stopped, for any reason, the writers get {@link #GRACE} to finish a write that is
 * already on the wire; a page still in the hands of a writer after that is given up ({@code
 * abandoned}): its users are counted unfinished, and the run ends without waiting for the network.
 */
final class PageWriters {

  /** How long a stopped run waits for the writes already on the wire. */
  static final Duration GRACE = Duration.ofSeconds(10);

  private static final long POLL_MILLIS = 100;

  private PageWriters() {}

  /**
   * Writes every page {@code reader} gives with {@code write}, on {@code count} threads; returns
   * when all are written or the run is stopped, or throws the first failure once every writer has
   * stopped (or been given up).
   */
  static void writeAll(
      PageReader reader,
      int count,
      Consumer<PageReader.Converted> write,
      StopSignal stop,
      Consumer<PageReader.Converted> abandoned) {
    writeAll(reader, count, write, stop, abandoned, GRACE);
  }

  /** As above, waiting {@code grace} for the writes on the wire once stopped (tests: short). */
  static void writeAll(
      PageReader reader,
      int count,
      Consumer<PageReader.Converted> write,
      StopSignal stop,
      Consumer<PageReader.Converted> abandoned,
      Duration grace) {
    if (count < 1) {
      throw new IllegalArgumentException("count < 1");
    }
    AtomicReference<Throwable> failure = new AtomicReference<>();
    AtomicReferenceArray<PageReader.Converted> inHand = new AtomicReferenceArray<>(count);
    List<Thread> writers = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      int slot = i;
      Thread writer =
          new Thread(
              () -> {
                try {
                  for (PageReader.Converted page;
                      !stop.requested() && (page = reader.next()) != null; ) {
                    inHand.set(slot, page);
                    try {
                      write.accept(page);
                    } finally {
                      reader.done(page);
                    }
                    inHand.set(slot, null);
                  }
                } catch (Throwable e) { // an Error too: the run must not wait for a dead writer
                  if (!(e instanceof RunStoppedException) && failure.compareAndSet(null, e)) {
                    stop.request(StopSignal.Reason.FAILED, "stopped: another writer failed", e);
                  }
                } finally {
                  reader.close(); // a no-op unless this writer stops early: the others get the end
                }
              },
              "writer-" + (i + 1));
      writer.setDaemon(true);
      writers.add(writer);
    }
    writers.forEach(Thread::start);
    long deadline = Long.MAX_VALUE;
    boolean interrupted = false;
    for (Thread writer : writers) {
      while (writer.isAlive()) {
        if (deadline == Long.MAX_VALUE && stop.requested()) {
          deadline = System.nanoTime() + grace.toNanos();
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          break;
        }
        try {
          writer.join(Math.min(POLL_MILLIS, Math.max(1, left / 1_000_000)));
        } catch (InterruptedException e) {
          // whoever runs the run wants it to end: a stop, and the batches in flight still get
          // their grace and are counted before the run reports
          interrupted = true;
          stop.request();
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    for (int i = 0; i < count; i++) {
      PageReader.Converted page = inHand.get(i);
      if (page != null && writers.get(i).isAlive()) {
        abandoned.accept(page); // still on the wire: given up, not waited for
      }
    }
    Throwable failed = failure.get();
    if (failed == null && stop.reason() == StopSignal.Reason.FAILED) {
      failed = stop.cause(); // the reader's, say: no writer had asked for a page since
    }
    if (failed instanceof RuntimeException e) {
      throw e;
    }
    if (failed instanceof Error e) {
      throw e;
    }
  }
}
