package app.achievements.store;

import static org.assertj.core.api.Assertions.assertThat;

import app.achievements.rules.Conversion;
import app.achievements.rules.ConversionResult;
import app.achievements.support.TestMongo;
import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.event.CommandListener;
import com.mongodb.event.CommandStartedEvent;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonSerializationException;
import org.bson.BsonString;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The store's bulk writes when one user's statement cannot be sent. */
class MongoUserStoreTest {

  private MongoCollection<BsonDocument> users;

  @BeforeEach
  void seed() {
    users =
        TestMongo.client()
            .getDatabase("user_store_test")
            .getCollection("users", BsonDocument.class);
    users.drop();
    for (int i = 1; i <= 5; i++) {
      users.insertOne(
          BsonDocument.parse(
              "{_id: " + i + ", createdAt: {$date: '2021-01-01T00:00:00Z'}, achievements: ['a']}"));
    }
  }

  @AfterEach
  void drop() {
    users.drop();
  }

  private List<PlannedWrite> planned() {
    List<PlannedWrite> writes = new ArrayList<>();
    for (BsonDocument user : users.find().sort(BsonDocument.parse("{_id: 1}"))) {
      ConversionResult.Migrate migrate =
          (ConversionResult.Migrate) Conversion.convert(user, Instant.EPOCH);
      writes.add(PlannedWrite.migration(user, migrate));
    }
    return writes;
  }

  /** {@code real}, whose client refuses any bulk write with a statement for user 3. */
  @SuppressWarnings("unchecked")
  private static MongoCollection<BsonDocument> refusingUser3(MongoCollection<BsonDocument> real) {
    return (MongoCollection<BsonDocument>)
        Proxy.newProxyInstance(
            MongoCollection.class.getClassLoader(),
            new Class<?>[] {MongoCollection.class},
            (proxy, method, args) -> {
              if (method.getName().equals("bulkWrite")) {
                for (Object model : (List<?>) args[0]) {
                  BsonDocument filter =
                      (BsonDocument) ((UpdateOneModel<BsonDocument>) model).getFilter();
                  if (filter.get("_id").equals(new BsonInt32(3))) {
                    throw new BsonSerializationException("cannot encode user 3");
                  }
                }
              }
              Object result;
              try {
                result = method.invoke(real, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
              return result instanceof MongoCollection<?> c
                  ? refusingUser3((MongoCollection<BsonDocument>) c)
                  : result;
            });
  }

  @Test
  void aStatementTheClientRefusesFailsItsUserAloneAndTheOthersAreWritten() {
    MongoUserStore store = new MongoUserStore(refusingUser3(users));

    BatchResult result = store.write(planned());

    assertThat(result.applied())
        .extracting(w -> w.id().asInt32().getValue())
        .containsExactly(1, 2, 4, 5);
    assertThat(result.failures()).hasSize(1);
    assertThat(result.failures().get(0).write().id()).isEqualTo(new BsonInt32(3));
    assertThat(result.failures().get(0).code())
        .isEqualTo("CLIENT_ERROR:BsonSerializationException");
    assertThat(users.countDocuments(BsonDocument.parse("{achievements_v2: {$exists: true}}")))
        .isEqualTo(4);
  }

  @Test
  void theUpperBoundIsAboveTheEncodedSizeAndOnlyAUserNearTheLimitIsCounted() {
    BsonArray ids = new BsonArray();
    for (int i = 0; i < 1000; i++) {
      ids.add(new BsonString("é-" + i)); // two bytes in UTF-8
      ids.add(new BsonInt32(i));
    }
    BsonDocument read = new BsonDocument("_id", new BsonInt32(1)).append("achievements", ids);
    ConversionResult.Migrate migrate =
        (ConversionResult.Migrate) Conversion.convert(read, Instant.EPOCH);
    PlannedWrite write = PlannedWrite.migration(read, migrate);
    UpdateOneModel<BsonDocument> model = MongoUserStore.updates(List.of(write)).get(0);

    assertThat(
            2 * StatementSize.upperBound(read) + StatementSize.upperBound(write.achievementsV2()))
        .isGreaterThan(StatementSize.encodedSize(model));
    assertThat(StatementSize.tooLarge(write, model)).isNull();
  }

  /**
   * A page holds its share of the buffer in bytes, whatever its count allows: pages of large users
   * are cut short, in _id order, none skipped; a user larger than the share goes alone.
   */
  @Test
  void pagesAreCutShortToTheirBytesAndALargerUserGoesAlone() {
    users.drop();
    String big = "x".repeat(100_000);
    for (int i = 1; i <= 10; i++) {
      users.insertOne(
          BsonDocument.parse(
              "{_id: "
                  + i
                  + ", achievements: ['"
                  + (i == 7 ? big.repeat(5) : big)
                  + "'], createdAt: {$date: 0}}"));
    }
    Iterator<List<BsonDocument>> pages =
        new MongoUserStore(users).candidatePages(() -> 1000, () -> 250_000);
    List<List<Integer>> ids = new ArrayList<>();
    while (pages.hasNext()) {
      ids.add(pages.next().stream().map(u -> u.getInt32("_id").getValue()).toList());
    }
    // three users of 100 KB pass 250 KB: a page stops after the user that reaches it
    assertThat(ids)
        .containsExactly(List.of(1, 2, 3), List.of(4, 5, 6), List.of(7), List.of(8, 9, 10));
  }

  @Test
  void noQueryAsksForMoreUsersAtOnceThanItsBytesHoldNotEvenTheFirst() {
    users.drop();
    String padding = "x".repeat(2_000);
    for (int i = 1; i <= 300; i++) {
      users.insertOne(
          BsonDocument.parse(
              "{_id: " + i + ", achievements: ['" + padding + "'], createdAt: {$date: 0}}"));
    }
    List<Integer> batchSizes = new ArrayList<>();
    CommandListener finds =
        new CommandListener() {
          @Override
          public void commandStarted(CommandStartedEvent event) {
            if (event.getCommandName().equals("find")) {
              batchSizes.add(event.getCommand().getInt32("batchSize").getValue());
            }
          }
        };
    try (MongoClient client =
        MongoClients.create(
            MongoClientSettings.builder()
                .applyConnectionString(new ConnectionString(TestMongo.server().connectionString()))
                .addCommandListener(finds)
                .build())) {
      MongoCollection<BsonDocument> watched =
          client
              .getDatabase(users.getNamespace().getDatabaseName())
              .getCollection("users", BsonDocument.class);
      Iterator<List<BsonDocument>> pages =
          new MongoUserStore(watched).candidatePages(() -> 100_000, () -> 50_000);
      int read = 0;
      while (pages.hasNext()) {
        read += pages.next().size();
      }
      assertThat(read).isEqualTo(300);
    }
    // 50 KB a page: 196 users of 256 bytes guessed until users were read (the queries of the
    // brackets before the numbers' find none), then about 25 of 2 KB
    assertThat(batchSizes).allMatch(size -> size == 50_000 / 256 + 1 || size <= 26);
    assertThat(batchSizes.stream().filter(size -> size <= 26).count()).isGreaterThanOrEqualTo(11);
  }

  /**
   * Far from the server a query is a round trip: a pass finds each bracket with users by one query
   * over those not read yet, reads it, and ends each with the page whose cursor ran out, with no
   * query for the empty brackets and no empty page after a short one.
   */
  @Test
  void aPassQueriesOnlyTheBracketsWithUsersAndNoEmptyPageAfterAShortOne() {
    users.drop();
    List<String> ids =
        List.of(
            "1",
            "2",
            "3",
            "4",
            "5",
            "'a'",
            "'b'",
            "'c'",
            "{$oid: '5c2f3dd85a4d504c45013410'}",
            "{$oid: '5c2f3dd85a4d504c45013411'}");
    for (String id : ids) {
      users.insertOne(
          BsonDocument.parse("{_id: " + id + ", achievements: ['x'], createdAt: {$date: 0}}"));
    }
    // migrated already: not a candidate, so its bracket is never read
    users.insertOne(
        BsonDocument.parse(
            "{_id: {$date: 0}, achievements: ['x'], achievements_v2: [{achievementId: 'x'}]}"));
    List<BsonDocument> finds = new ArrayList<>();
    CommandListener listener =
        new CommandListener() {
          @Override
          public void commandStarted(CommandStartedEvent event) {
            if (event.getCommandName().equals("find")) {
              finds.add(event.getCommand().clone());
            }
          }
        };
    List<List<String>> pages = new ArrayList<>();
    try (MongoClient client =
        MongoClients.create(
            MongoClientSettings.builder()
                .applyConnectionString(new ConnectionString(TestMongo.server().connectionString()))
                .addCommandListener(listener)
                .build())) {
      MongoCollection<BsonDocument> watched =
          client
              .getDatabase(users.getNamespace().getDatabaseName())
              .getCollection("users", BsonDocument.class);
      Iterator<List<BsonDocument>> read = new MongoUserStore(watched).candidatePages(() -> 2);
      while (read.hasNext()) {
        pages.add(read.next().stream().map(user -> user.get("_id").toString()).toList());
      }
    }
    // each bracket in _id order, page by page; the brackets in the order the server found them
    assertThat(pages)
        .containsExactlyInAnyOrder(
            List.of("BsonInt32{value=1}", "BsonInt32{value=2}"),
            List.of("BsonInt32{value=3}", "BsonInt32{value=4}"),
            List.of("BsonInt32{value=5}"),
            List.of("BsonString{value='a'}", "BsonString{value='b'}"),
            List.of("BsonString{value='c'}"),
            List.of(
                "BsonObjectId{value=5c2f3dd85a4d504c45013410}",
                "BsonObjectId{value=5c2f3dd85a4d504c45013411}"));
    // seven page queries (the ObjectIds' full page needs one more to know it was the last) and four
    // that find the next bracket: 11, where a query per bracket made 16 + 3 + 7
    long probes = finds.stream().filter(find -> find.getInt32("limit").getValue() == 1).count();
    assertThat(finds).hasSize(11);
    assertThat(probes).isEqualTo(4);
  }
}
