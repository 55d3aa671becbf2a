package app.achievements.migration;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The writing end of the pipeline: {@code count} threads, each taking the next converted page from
 * the {@link PageReader} as soon as it is free and writing it, so that one writer's bulk write is
 * on the wire while another one's is being applied. A writer that fails stops the reader; the other
 * writers finish the page in their hands and take no more.
 */
final class PageWriters {

  private PageWriters() {}

  /**
   * Writes every page {@code reader} gives with {@code write}, on {@code count} threads; returns
   * when all are written, or throws the first failure once every writer has stopped.
   */
  static void writeAll(PageReader reader, int count, Consumer<PageReader.Converted> write) {
    if (count < 1) {
      throw new IllegalArgumentException("count < 1");
    }
    AtomicReference<Throwable> failure = new AtomicReference<>();
    List<Thread> writers = new ArrayList<>(count);
    for (int i = 1; i <= count; i++) {
      Thread writer =
          new Thread(
              () -> {
                try {
                  for (PageReader.Converted page;
                      failure.get() == null && (page = reader.next()) != null; ) {
                    if (failure.get() == null) {
                      write.accept(page);
                    }
                  }
                } catch (Throwable e) { // an Error too: the run must not wait for a dead writer
                  if (failure.compareAndSet(null, e)) {
                    reader.close(); // the writers waiting for a page get the end
                  }
                }
              },
              "writer-" + i);
      writer.setDaemon(true);
      writers.add(writer);
    }
    writers.forEach(Thread::start);
    for (Thread writer : writers) {
      joinUninterruptibly(writer);
    }
    Throwable failed = failure.get();
    if (failed instanceof RuntimeException e) {
      throw e;
    }
    if (failed instanceof Error e) {
      throw e;
    }
  }

  /**
   * Waits for {@code writer} to end: the batch in its hands is finished and counted before the run
   * reports, whatever happens to the waiting thread.
   */
  private static void joinUninterruptibly(Thread writer) {
    boolean interrupted = false;
    while (true) {
      try {
        writer.join();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
