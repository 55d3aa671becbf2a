package app.achievements.run;

import static org.assertj.core.api.Assertions.assertThat;

import app.achievements.store.BatchResult;
import app.achievements.store.PlannedWrite;
import app.achievements.store.UserStore;
import app.achievements.support.TickingClock;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.function.IntSupplier;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.junit.jupiter.api.Test;

/** The runner's output, with an in-memory store: no MongoDB. */
class MigrationRunnerTest {

  private static final Instant NOW = Instant.parse("2026-01-02T03:04:05.678Z");

  /** Serves fixed pages and records writes; every write applies. */
  private static class PagesStore implements UserStore {
    final List<List<BsonDocument>> pages;
    final List<PlannedWrite> written = Collections.synchronizedList(new ArrayList<>());

    PagesStore(List<List<BsonDocument>> pages) {
      this.pages = pages;
    }

    @Override
    public Iterator<List<BsonDocument>> candidatePages(IntSupplier pageSize) {
      return pages.iterator();
    }

    @Override
    public Iterator<List<BsonDocument>> allPages(int pageSize) {
      return pages.iterator();
    }

    @Override
    public Iterator<List<BsonDocument>> migratedPages(IntSupplier pageSize) {
      return pages.iterator();
    }

    @Override
    public BatchResult removeV2(List<PlannedWrite> removals) {
      return new BatchResult(removals, List.of(), List.of());
    }

    @Override
    public List<BsonDocument> reread(List<BsonValue> ids) {
      return List.of();
    }

    @Override
    public BatchResult write(List<PlannedWrite> writes) {
      written.addAll(writes);
      return new BatchResult(writes, List.of(), List.of());
    }

    @Override
    public String namespace() {
      return "app.users";
    }
  }

  private static BsonDocument user(String json) {
    return BsonDocument.parse(json);
  }

  @Test
  void printsProgressAtMostOncePerInterval() {
    PagesStore store =
        new PagesStore(
            List.of(
                List.of(
                    user("{_id: 1, achievements: ['a']}"), user("{_id: 2, achievements: ['b']}")),
                List.of(user("{_id: 3, achievements: [1.5]}")),
                List.of(user("{_id: 4, achievements: ['d']}"))));
    StringWriter out = new StringWriter();
    // one writer: with more, pages may be written out of order
    MigrationOptions options = MigrationOptions.defaults().withAssumeYes(true).withWriters(1);
    PrintWriter printer = new PrintWriter(out);

    new MigrationRunner(
            RunSetup.builder(store, printer, new TickingClock(NOW, Duration.ofSeconds(1)), options)
                .progress(new Progress(printer, Duration.ofSeconds(1)))
                .build())
        .run();

    assertThat(out.toString().lines().filter(l -> l.startsWith("Progress: ")).toList())
        .containsExactly(
            "Progress: 2 eligible users processed (2 migrated, 0 rejected, 0 failed), 2 users/s",
            "Progress: 3 eligible users processed (2 migrated, 1 rejected, 0 failed), 1 users/s",
            "Progress: 4 eligible users processed (3 migrated, 1 rejected, 0 failed), 1 users/s");
  }

  @Test
  void failuresAreListedEvenAfterManyRejects() {
    List<BsonDocument> page = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      page.add(user("{_id: " + i + ", achievements: [true]}"));
    }
    page.add(user("{_id: 99, achievements: ['a']}"));
    PagesStore store =
        new PagesStore(List.of(page)) {
          @Override
          public BatchResult write(List<PlannedWrite> writes) {
            return new BatchResult(
                List.of(),
                List.of(),
                writes.stream()
                    .map(w -> new BatchResult.Failure(w, "WRITE_ERROR:121", "invalid"))
                    .toList());
          }
        };
    StringWriter out = new StringWriter();

    MigrationResult result =
        new MigrationRunner(
                RunSetup.builder(
                        store,
                        new PrintWriter(out),
                        Clock.fixed(NOW, ZoneOffset.UTC),
                        MigrationOptions.defaults().withAssumeYes(true))
                    .build())
            .run();

    assertThat(result.failed()).isEqualTo(1);
    assertThat(out.toString())
        .contains("Failed (1):\n  _id 99: WRITE_ERROR:121 invalid\nRejected (first 20 of 25):\n");
  }

  @Test
  void noProgressWithinTheInterval() {
    PagesStore store = new PagesStore(List.of(List.of(user("{_id: 1, achievements: ['a']}"))));
    StringWriter out = new StringWriter();
    MigrationOptions options = MigrationOptions.defaults().withAssumeYes(true);

    new MigrationRunner(
            RunSetup.builder(
                    store,
                    new PrintWriter(out),
                    new TickingClock(NOW, Duration.ofSeconds(1)),
                    options)
                .build())
        .run();

    assertThat(out.toString()).doesNotContain("Progress:");
  }

  @Test
  void dryRunShowsExamplesAndTheExactSummaryAndWritesNothing() {
    PagesStore store =
        new PagesStore(
            List.of(
                List.of(
                    user(
                        "{_id: 1, createdAt: {$date: '2021-01-01T00:00:00Z'}, achievements: ['a']}"),
                    user(
                        "{_id: 2, createdAt: {$date: '2021-01-01T00:00:00Z'}, achievements: ['b']}"),
                    user("{_id: 3, achievements: ['c', null]}"),
                    user("{_id: 4, achievements: [true]}"),
                    user("{_id: 5, achievements: ['x'], achievements_v2: [null]}"))));
    StringWriter out = new StringWriter();
    MigrationOptions options = MigrationOptions.defaults().withDryRun(true);

    MigrationResult result =
        new MigrationRunner(
                RunSetup.builder(
                        store, new PrintWriter(out), Clock.fixed(NOW, ZoneOffset.UTC), options)
                    .build())
            .run();

    assertThat(store.written).isEmpty();
    assertThat(result.eligible()).isEqualTo(4);
    assertThat(out.toString())
        .isEqualTo(
            """
            Collection: app.users
            Dry run: reading and converting only; nothing will be written.
            Examples (before -> after):
              _id 1: achievements ["a"], createdAt {"$date": "2021-01-01T00:00:00Z"}
                -> achievements_v2 [{"achievementId": "a", "unlockedAt": {"$date": "2021-01-01T00:00:00Z"}}]
              _id 3: achievements ["c", null], createdAt (missing)
                -> achievements_v2 [{"achievementId": "c", "unlockedAt": {"$date": "2026-01-02T03:04:05.678Z"}}]
                   notes: NULLS_DROPPED, CREATED_AT_MISSING, UNLOCKED_AT_FROM_RUN_START
              _id 4: achievements [true], createdAt (missing)
                -> rejected UNSUPPORTED_ELEMENT

            Summary (dry run: what a real run would do; nothing was written)
              eligible     4
              migrated     3
              rejected     1
                UNSUPPORTED_ELEMENT              1
              conflicts    0
              failed       0
              notes
                NULLS_DROPPED                    1
                CREATED_AT_MISSING               1
                UNLOCKED_AT_FROM_RUN_START       1
              run start    2026-01-02T03:04:05.678Z (the unlockedAt of last resort)
              duration     0.000 s (n/a users/s)
            Rejected (1):
              _id 4: UNSUPPORTED_ELEMENT
            """);
  }
}
