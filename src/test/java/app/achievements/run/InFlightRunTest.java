package app.achievements.run;

import static org.assertj.core.api.Assertions.assertThat;

import app.achievements.pace.InFlight;
import app.achievements.store.BatchResult;
import app.achievements.store.MongoUserStore;
import app.achievements.store.PlannedWrite;
import app.achievements.store.RunStatus;
import app.achievements.support.ForwardingStore;
import app.achievements.support.TestMongo;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import org.bson.BsonDocument;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What a run far from the server sends at once. The writes in flight of a real run: as many as the
 * writers next to the server, more far from it, never more than the window allows. The store stands
 * for a server 100 ms away: each bulk write spends that long on the wire (a stand-in for the
 * network, not a wait for something to happen).
 */
@Timeout(60)
class InFlightRunTest {

  private static final int USERS = 400;
  private static final long ROUND_TRIP_NANOS = Duration.ofMillis(100).toNanos();

  private MongoCollection<BsonDocument> users;
  private final AtomicInteger sending = new AtomicInteger();
  private final AtomicInteger most = new AtomicInteger();

  @BeforeEach
  void seed() {
    users = TestMongo.client().getDatabase("in_flight").getCollection("users", BsonDocument.class);
    users.drop();
    users.insertMany(TestMongo.plainUsers(USERS));
  }

  @AfterEach
  void drop() {
    users.drop();
  }

  /** A store whose bulk writes each spend a round trip on the wire, counting those at once. */
  private ForwardingStore distant() {
    return new ForwardingStore(new MongoUserStore(users)) {
      @Override
      public BatchResult write(List<PlannedWrite> planned) {
        most.accumulateAndGet(sending.incrementAndGet(), Math::max);
        try {
          Thread.sleep(Duration.ofNanos(ROUND_TRIP_NANOS).toMillis());
          return super.write(planned);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(e);
        } finally {
          sending.decrementAndGet();
        }
      }
    };
  }

  private MigrationResult run(InFlight inFlight) {
    MigrationOptions options =
        MigrationOptions.defaults().withAssumeYes(true).withBatchSize(10).withWriters(2);
    RunSetup setup =
        RunSetup.builder(
                distant(), new PrintWriter(new StringWriter(), true), Clock.systemUTC(), options)
            .progress(ProgressListener.NONE)
            .inFlight(inFlight)
            .build();
    return new MigrationRunner(setup).run();
  }

  @Test
  void farFromTheServerMoreWritesThanWritersAreOnTheirWay() {
    MigrationResult result = run(new InFlight(2, () -> ROUND_TRIP_NANOS));

    assertThat(result.migrated()).isEqualTo(USERS);
    assertThat(users.countDocuments(Filters.exists("achievements_v2"))).isEqualTo(USERS);
    // the server hardly takes any time: the window widens to its most, 4 x 2
    assertThat(most.get()).isGreaterThan(2).isLessThanOrEqualTo(8);
  }

  @Test
  void withTheWindowFixedNoMoreThanTheWritersAre() {
    MigrationResult result = run(InFlight.fixed(2));

    assertThat(result.migrated()).isEqualTo(USERS);
    assertThat(most.get()).isEqualTo(2);
  }

  /** The count before the prompt reads pages as long as the run's: four batches a round trip. */
  @Test
  void theCountBeforeThePromptReadsFourBatchesAQuery() {
    List<Integer> asked = new ArrayList<>();
    ForwardingStore store =
        new ForwardingStore(new MongoUserStore(users)) {
          @Override
          public Iterator<List<BsonDocument>> candidatePages(
              IntSupplier pageSize, LongSupplier pageBytes) {
            return super.candidatePages(
                () -> {
                  asked.add(pageSize.getAsInt());
                  return pageSize.getAsInt();
                },
                pageBytes);
          }
        };
    MigrationOptions options = MigrationOptions.defaults().withBatchSize(10);
    RunSetup setup =
        RunSetup.builder(
                store, new PrintWriter(new StringWriter(), true), Clock.systemUTC(), options)
            .progress(ProgressListener.NONE)
            .confirmation(() -> Optional.of("no"))
            .build();
    MigrationResult result = new MigrationRunner(setup).run();

    assertThat(result.status()).isEqualTo(RunStatus.ABORTED);
    assertThat(users.countDocuments(Filters.exists("achievements_v2"))).isZero();
    // batches of 10: every page of the count asks for 40 users
    assertThat(asked).isNotEmpty().allMatch(size -> size == 40);
  }
}
