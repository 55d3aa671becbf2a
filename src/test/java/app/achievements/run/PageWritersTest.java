package app.achievements.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.achievements.store.PlannedWrite;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The pipeline: one reader, several writers, and what a failure on either side does. */
@Timeout(30)
class PageWritersTest {

  /** {@code count} pages of one user each, the user's _id being the page's number. */
  private static List<List<BsonDocument>> pages(int count) {
    List<List<BsonDocument>> pages = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      pages.add(List.of(new BsonDocument("_id", new BsonInt32(i))));
    }
    return pages;
  }

  /** Pages handed over to the writers, and pages given back unfinished, by page number. */
  private final List<Integer> accepted = Collections.synchronizedList(new ArrayList<>());

  private final List<Integer> unfinished = Collections.synchronizedList(new ArrayList<>());
  private final StopSignal stop = new StopSignal();

  private PageReader reader(Iterator<List<BsonDocument>> pages) {
    return new PageReader(
        pages,
        pages::hasNext,
        () -> {},
        page ->
            List.of(
                new PageReader.Converted(List.of(PlannedWrite.removal(page.get(0))), 1, List.of())),
        page -> accepted.add(number(page)),
        left -> left.forEach(page -> unfinished.add(number(page))),
        failure -> stop.request(StopSignal.Reason.FAILED, "the reader failed", failure));
  }

  private void writeAll(PageReader reader, int count, Consumer<PageReader.Converted> write) {
    PageWriters.writeAll(
        reader, count, write, stop, page -> unfinished.add(number(page)), Duration.ofSeconds(1));
  }

  private static int number(PageReader.Converted page) {
    return page.writes().get(0).id().asInt32().getValue();
  }

  @Test
  void everyPageIsWrittenOnceWithWritesUnderWayAtOnce() throws Exception {
    List<Integer> written = Collections.synchronizedList(new ArrayList<>());
    // The first two writes wait for each other: with one write at a time this never returns.
    CyclicBarrier together = new CyclicBarrier(2);
    AtomicInteger started = new AtomicInteger();
    try (PageReader reader = reader(pages(40).iterator())) {
      writeAll(
          reader,
          3,
          page -> {
            if (started.incrementAndGet() <= 2) {
              try {
                together.await(10, TimeUnit.SECONDS);
              } catch (Exception e) {
                throw new IllegalStateException("the writes did not overlap", e);
              }
            }
            written.add(number(page));
          });
    }
    List<Integer> sorted = new ArrayList<>(written);
    Collections.sort(sorted);
    List<Integer> all = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      all.add(i);
    }
    assertThat(sorted).isEqualTo(all);
  }

  @Test
  void pagesWaitWhileThoseInFlightWouldWeighMoreThanTheBudgetAndAHeavierOneGoesAlone() {
    List<Integer> weights = List.of(60, 60, 150, 30, 30, 30);
    Iterator<List<BsonDocument>> pages = pages(weights.size()).iterator();
    List<Integer> acceptedWhileWriting = new ArrayList<>();
    try (PageReader reader =
        new PageReader(
            pages,
            pages::hasNext,
            () -> {},
            page -> {
              int number = page.get(0).getInt32("_id").getValue();
              return List.of(
                  new PageReader.Converted(
                      List.of(PlannedWrite.removal(page.get(0))),
                      1,
                      List.of(),
                      weights.get(number)));
            },
            page -> accepted.add(number(page)),
            left -> left.forEach(page -> unfinished.add(number(page))),
            failure -> stop.request(StopSignal.Reason.FAILED, "the reader failed", failure),
            100,
            0)) {
      writeAll(
          reader,
          1,
          page -> {
            // the reader has read on as far as the budget lets it: waiting, or at the end
            while (!reader.waitingForRoom() && accepted.size() < weights.size()) {
              Thread.onSpinWait();
            }
            acceptedWhileWriting.add(accepted.size());
          });
    }
    // in flight while each page is written: 60 alone (60 + 60 > 100), 60, 150 alone, then the
    // three of 30 together (the queue holds two besides the page written)
    assertThat(acceptedWhileWriting).containsExactly(1, 2, 3, 6, 6, 6);
  }

  @Test
  void oneWriterWritesInPageOrder() {
    List<Integer> written = new ArrayList<>();
    try (PageReader reader = reader(pages(20).iterator())) {
      writeAll(reader, 1, page -> written.add(number(page)));
    }
    assertThat(written).hasSize(20).isSorted();
  }

  @Test
  void aFailedWriteIsRethrownAndTheOtherWritersTakeNoMorePages() {
    AtomicInteger started = new AtomicInteger();
    IllegalStateException refused = new IllegalStateException("refused");
    try (PageReader reader = reader(pages(1000).iterator())) {
      assertThatThrownBy(
              () ->
                  writeAll(
                      reader,
                      3,
                      page -> {
                        started.incrementAndGet();
                        if (number(page) == 5) {
                          throw refused;
                        }
                      }))
          .isSameAs(refused);
    }
    // at most pages 0-5 and what the two other writers had in hand or had just taken: the reader
    // was a thousand pages from the end
    assertThat(started.get()).isBetween(1, 6 + 2 * 2);
  }

  @Test
  void aFailedReadReachesEveryWriterAndIsRethrown() {
    // four writers, one failure: writeAll returns only once all four have seen it
    IllegalStateException lost = new IllegalStateException("connection lost");
    Iterator<List<BsonDocument>> pages = pages(10).iterator();
    AtomicInteger served = new AtomicInteger();
    Iterator<List<BsonDocument>> failing =
        new Iterator<>() {
          @Override
          public boolean hasNext() {
            if (served.get() == 4) {
              throw lost;
            }
            return pages.hasNext();
          }

          @Override
          public List<BsonDocument> next() {
            served.incrementAndGet();
            return pages.next();
          }
        };
    List<Integer> written = Collections.synchronizedList(new ArrayList<>());
    try (PageReader reader = reader(failing)) {
      assertThatThrownBy(() -> writeAll(reader, 4, page -> written.add(number(page))))
          .isSameAs(lost);
    }
    // a page taken before the failure reached its writer is written; one taken after is not
    assertThat(written).isSubsetOf(0, 1, 2, 3).doesNotHaveDuplicates();
  }

  /** An OutOfMemoryError in the reader, say: every writer hears of it, none waits for ever. */
  @Test
  void anErrorInTheReaderReachesEveryWriterAndIsRethrown() {
    OutOfMemoryError outOfMemory = new OutOfMemoryError("Java heap space");
    Iterator<List<BsonDocument>> pages = pages(10).iterator();
    Iterator<List<BsonDocument>> dying =
        new Iterator<>() {
          @Override
          public boolean hasNext() {
            if (accepted.size() == 3) {
              throw outOfMemory;
            }
            return pages.hasNext();
          }

          @Override
          public List<BsonDocument> next() {
            return pages.next();
          }
        };
    try (PageReader reader = reader(dying)) {
      assertThatThrownBy(() -> writeAll(reader, 3, page -> {})).isSameAs(outOfMemory);
    }
    assertThat(stop.reason()).isEqualTo(StopSignal.Reason.FAILED);
  }

  @Test
  void aStopEndsTheWritingAndThePagesNotTakenAreUnfinished() {
    List<Integer> written = Collections.synchronizedList(new ArrayList<>());
    try (PageReader reader = reader(pages(1000).iterator())) {
      stop.onRequest(reader::close);
      writeAll(
          reader,
          2,
          page -> {
            written.add(number(page));
            if (number(page) == 10) {
              stop.request();
            }
          });
    }
    // every page handed over is written or given back, once
    List<Integer> outcomes = new ArrayList<>(written);
    outcomes.addAll(unfinished);
    assertThat(outcomes).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(accepted);
    // pages 0-10, one in the other writer's hands, the queue full
    assertThat(accepted.size()).isLessThanOrEqualTo(11 + 1 + PageReader.QUEUED);
  }

  @Test
  void aWriteStuckOnTheWireIsGivenUpOnceTheGraceIsOver() throws Exception {
    CountDownLatch stuck = new CountDownLatch(1);
    CountDownLatch never = new CountDownLatch(1);
    Thread run =
        new Thread(
            () -> {
              try (PageReader reader = reader(pages(5).iterator())) {
                stop.onRequest(reader::close);
                writeAll(
                    reader,
                    1,
                    page -> {
                      stuck.countDown();
                      try {
                        never.await(); // a silent network
                      } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                      }
                    });
              }
            });
    run.start();
    assertThat(stuck.await(10, TimeUnit.SECONDS)).isTrue();

    stop.request();

    run.join(10_000);
    assertThat(run.isAlive()).isFalse();
    // page 0 was on the wire and given up; the pages queued behind it were never taken
    assertThat(unfinished).contains(0).doesNotHaveDuplicates();
    assertThat(unfinished).containsExactlyInAnyOrderElementsOf(accepted);
  }

  @Test
  void aPageReadAfterTheCloseIsNeitherCountedNorGivenBack() throws Exception {
    CountDownLatch reading = new CountDownLatch(1);
    CountDownLatch closed = new CountDownLatch(1);
    Iterator<List<BsonDocument>> pages = pages(3).iterator();
    Iterator<List<BsonDocument>> slow =
        new Iterator<>() {
          @Override
          public boolean hasNext() {
            reading.countDown();
            try {
              closed.await();
            } catch (InterruptedException e) {
              // closed: the read still returns its page, as a network read in flight does
            }
            return pages.hasNext();
          }

          @Override
          public List<BsonDocument> next() {
            return pages.next();
          }
        };
    PageReader reader = reader(slow);
    assertThat(reading.await(10, TimeUnit.SECONDS)).isTrue();
    reader.close();
    closed.countDown();

    assertThat(reader.next()).isNull();
    assertThat(reader.awaitEnd(Duration.ofSeconds(10))).isTrue();
    assertThat(accepted).isEmpty();
    assertThat(unfinished).isEmpty();
  }

  /**
   * A stop's listener and the run's end may close the reader at once: the second returns only once
   * the first has given the queued pages back, so the run's counts include them.
   */
  @Test
  void aSecondCloseReturnsOnlyOnceTheQueuedPagesAreCounted() throws Exception {
    CountDownLatch counting = new CountDownLatch(1);
    CountDownLatch proceed = new CountDownLatch(1);
    Iterator<List<BsonDocument>> pages = pages(10).iterator();
    PageReader reader =
        new PageReader(
            pages,
            pages::hasNext,
            () -> {},
            page ->
                List.of(
                    new PageReader.Converted(
                        List.of(PlannedWrite.removal(page.get(0))), 1, List.of())),
            page -> accepted.add(number(page)),
            left -> {
              counting.countDown();
              try {
                proceed.await(); // the first closer, slow to count
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              left.forEach(page -> unfinished.add(number(page)));
            },
            failure -> {});
    app.achievements.support.Eventually.await(
        "the queue full", Duration.ofSeconds(10), () -> accepted.size() == PageReader.QUEUED);
    Thread first = new Thread(reader::close);
    first.start();
    assertThat(counting.await(10, TimeUnit.SECONDS)).isTrue();
    Thread second = new Thread(reader::close);
    second.start();
    app.achievements.support.Eventually.await(
        "the second close waits",
        Duration.ofSeconds(10),
        () -> second.getState() == Thread.State.BLOCKED);

    proceed.countDown();

    second.join(10_000);
    assertThat(unfinished).containsExactlyInAnyOrderElementsOf(accepted).hasSize(PageReader.QUEUED);
    first.join(10_000);
  }

  /**
   * Counting a page may itself stop the run (its report row could not be written), which closes the
   * reader while it hands that page over: the page is counted and given back, never lost.
   */
  @Test
  void aPageWhoseCountingStopsTheRunIsGivenBack() {
    List<Integer> written = Collections.synchronizedList(new ArrayList<>());
    Iterator<List<BsonDocument>> pages = pages(50).iterator();
    PageReader reader =
        new PageReader(
            pages,
            pages::hasNext,
            () -> {},
            page ->
                List.of(
                    new PageReader.Converted(
                        List.of(PlannedWrite.removal(page.get(0))), 1, List.of())),
            page -> {
              accepted.add(number(page));
              if (number(page) == 5) {
                stop.request(StopSignal.Reason.FAILED, "the report failed", new RuntimeException());
              }
            },
            left -> left.forEach(page -> unfinished.add(number(page))),
            failure -> {});
    stop.onRequest(reader::close);

    try {
      writeAll(reader, 1, page -> written.add(number(page)));
    } catch (RuntimeException expected) {
      // the stop's cause
    }

    List<Integer> outcomes = new ArrayList<>(written);
    outcomes.addAll(unfinished);
    assertThat(outcomes).containsExactlyInAnyOrderElementsOf(accepted).contains(5);
  }

  @Test
  void anErrorInAWriterIsRethrownToo() {
    AssertionError broken = new AssertionError("broken");
    try (PageReader reader = reader(pages(10).iterator())) {
      assertThatThrownBy(
              () ->
                  writeAll(
                      reader,
                      2,
                      page -> {
                        throw broken;
                      }))
          .isSameAs(broken);
    }
  }
}
