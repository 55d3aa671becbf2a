package app.achievements.run;

import static org.assertj.core.api.Assertions.assertThat;

import app.achievements.rules.Conversion;
import app.achievements.rules.ConversionResult;
import app.achievements.rules.Eligibility;
import app.achievements.rules.Finding;
import app.achievements.rules.Note;
import app.achievements.rules.RejectReason;
import app.achievements.rules.Verification;
import app.achievements.store.BatchResult;
import app.achievements.store.MongoUserStore;
import app.achievements.store.PlannedWrite;
import app.achievements.store.RunStatus;
import app.achievements.store.ShardKey;
import app.achievements.store.UserStore;
import app.achievements.store.WriteGuard;
import app.achievements.support.ForwardingStore;
import app.achievements.support.TestMongo;
import com.mongodb.MongoException;
import com.mongodb.MongoSocketReadException;
import com.mongodb.ServerAddress;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.bson.BsonArray;
import org.bson.BsonBoolean;
import org.bson.BsonDecimal128;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonJavaScript;
import org.bson.BsonSerializationException;
import org.bson.BsonString;
import org.bson.BsonSymbol;
import org.bson.BsonValue;
import org.bson.types.Decimal128;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The migration against a real server, written once: subclasses supply the server (embedded,
 * Testcontainers, or {@code MIGRATE_TEST_MONGODB_URI}). Every test uses a database of its own.
 */
abstract class MigrationSuite {

  static final Instant NOW = Instant.parse("2026-01-02T03:04:05.678Z");
  private static final AtomicInteger DATABASES = new AtomicInteger();

  private MongoDatabase database;
  MongoCollection<BsonDocument> users;
  private StringWriter output;

  /** The server under test. */
  abstract String connectionString();

  MongoClient client() {
    return TestMongo.client(connectionString());
  }

  @BeforeEach
  void freshDatabase() {
    database =
        client()
            .getDatabase(
                "migrate_it_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet());
    database.drop();
    users = database.getCollection("users", BsonDocument.class);
  }

  @AfterEach
  void dropDatabase() {
    database.drop();
  }

  // ---- eligibility -------------------------------------------------------------------------

  @Test
  void migratesExactlyTheEligibleUsersByBsonType() {
    insert(
        "{_id: 1, createdAt: {$date: '2021-01-01T00:00:00Z'}, achievements: ['a', null]}",
        "{_id: 2, createdAt: {$date: '2021-01-01T00:00:00Z'}, achievements: [null]}",
        "{_id: 3, createdAt: {$date: '2021-01-01T00:00:00Z'}, achievements: ['a'], achievements_v2: null}",
        "{_id: 4, createdAt: {$date: '2021-01-01T00:00:00Z'}, achievements: ['a'], achievements_v2: []}",
        "{_id: 5, createdAt: {$date: '2021-01-01T00:00:00Z'}, achievements: ['a'], achievements_v2: [null]}",
        "{_id: 6, createdAt: {$date: '2021-01-01T00:00:00Z'}, achievements: []}",
        "{_id: 7, createdAt: {$date: '2021-01-01T00:00:00Z'}, achievements: null}",
        "{_id: 8, createdAt: {$date: '2021-01-01T00:00:00Z'}}",
        "{_id: 9, createdAt: {$date: '2021-01-01T00:00:00Z'}, achievements: ['a'], achievements_v2: [{achievementId: 'z'}]}",
        "{_id: 10, createdAt: {$date: '2021-01-01T00:00:00Z'}, achievements: 'a'}",
        "{_id: 11, createdAt: {$date: '2021-01-01T00:00:00Z'}, achievements: [null, 'b', null, 'b']}");
    List<BsonDocument> before = snapshot();

    MigrationResult result = run(options().withAssumeYes(true), "");

    assertThat(result.eligible()).isEqualTo(6);
    assertThat(result.migrated()).isEqualTo(4);
    assertThat(result.rejectedByReason())
        .isEqualTo(Map.of(RejectReason.NO_VALID_IDS, 1L, RejectReason.ACHIEVEMENTS_NOT_ARRAY, 1L));
    assertThat(result.notes())
        .isEqualTo(Map.of(Note.NULLS_DROPPED, 2L, Note.DUPLICATES_DROPPED, 1L));
    assertThat(result.complete()).isFalse();
    String jan1 = "{$date: '2021-01-01T00:00:00Z'}";
    assertThat(v2Of(1)).isEqualTo(v2("[{achievementId: 'a', unlockedAt: " + jan1 + "}]"));
    assertThat(v2Of(3)).isEqualTo(v2("[{achievementId: 'a', unlockedAt: " + jan1 + "}]"));
    assertThat(v2Of(4)).isEqualTo(v2("[{achievementId: 'a', unlockedAt: " + jan1 + "}]"));
    assertThat(v2Of(11)).isEqualTo(v2("[{achievementId: 'b', unlockedAt: " + jan1 + "}]"));
    for (int untouched : List.of(2, 5, 6, 7, 8, 9, 10)) {
      assertThat(find(untouched)).as("user %d", untouched).isEqualTo(before.get(untouched - 1));
    }
  }

  @Test
  void everyFieldOtherThanAchievementsV2IsUntouched() {
    insert(
        "{_id: 1, username: 'ann', createdAt: '2022-03-04', achievements: ['a', 7],"
            + " nested: {x: [1, {y: null}]}, achievements_v2: null, z: 1.5}",
        "{_id: 2, achievements: ['a'], createdAt: {$date: '2021-01-01T00:00:00Z'}, w: 'last'}");
    List<BsonDocument> before = snapshot();

    run(options().withAssumeYes(true), "");

    List<BsonDocument> after = snapshot();
    for (int i = 0; i < before.size(); i++) {
      BsonDocument withoutV2 = after.get(i).clone();
      BsonValue v2 = withoutV2.remove("achievements_v2");
      assertThat(v2).isNotNull();
      BsonDocument expected = before.get(i).clone();
      expected.remove("achievements_v2");
      assertThat(withoutV2).isEqualTo(expected);
      assertThat(new ArrayList<>(withoutV2.keySet())).isEqualTo(new ArrayList<>(expected.keySet()));
    }
    assertThat(new ArrayList<>(after.get(0).keySet()))
        .containsExactly(
            "_id", "username", "createdAt", "achievements", "nested", "achievements_v2", "z");
  }

  @Test
  void pagesThroughEveryIdTypeInIdOrder() {
    insert(
        "{_id: 'b', achievements: ['s']}",
        "{_id: {$oid: '65a1b2c3d4e5f60718293a4b'}, achievements: ['o']}",
        "{_id: 3, achievements: ['n']}",
        "{_id: 1.5, achievements: ['n']}",
        "{_id: {$numberLong: '2'}, achievements: ['n']}",
        "{_id: 'a', achievements: ['s']}",
        "{_id: {k: 1}, achievements: ['d']}",
        "{_id: {$date: '2020-01-01T00:00:00Z'}, achievements: ['t']}",
        "{_id: true, achievements: ['b']}",
        "{_id: null, achievements: ['z']}",
        "{_id: {$binary: {base64: 'AQI=', subType: '00'}}, achievements: ['x']}",
        "{_id: {$oid: '65a1b2c3d4e5f60718293a4a'}, achievements: ['o']}");

    for (int batchSize : List.of(1, 2, 1000)) {
      users.updateMany(new BsonDocument(), BsonDocument.parse("{$unset: {achievements_v2: 1}}"));
      MigrationResult result = run(options().withAssumeYes(true).withBatchSize(batchSize), "");
      assertThat(result.migrated()).as("batch size %d", batchSize).isEqualTo(12);
      assertThat(users.countDocuments(BsonDocument.parse("{achievements_v2: {$size: 1}}")))
          .isEqualTo(12);
    }
  }

  @Test
  void anyNumberOfWritersLeavesTheSameCollectionAndCounts() {
    List<String> expected = null;
    MigrationResult first = null;
    for (int writers : List.of(1, 3, 8)) {
      users.drop();
      insertSample(600);
      MigrationResult result =
          run(options().withAssumeYes(true).withBatchSize(25).withWriters(writers), "");
      if (expected == null) {
        expected = bytes();
        first = result;
        assertThat(result.migrated()).isPositive();
        continue;
      }
      assertThat(bytes()).as("%d writers", writers).isEqualTo(expected);
      assertThat(List.of(result.eligible(), result.migrated(), result.rejected()))
          .as("%d writers", writers)
          .isEqualTo(List.of(first.eligible(), first.migrated(), first.rejected()));
      assertThat(result.conflicts() + result.failed() + result.skipped()).isZero();
    }
  }

  @Test
  void pagesThroughDeprecatedIdTypesToo() {
    try {
      users.insertOne(
          new BsonDocument("_id", new BsonSymbol("sym")).append("achievements", v2("['s']")));
      users.insertOne(
          new BsonDocument("_id", new BsonJavaScript("code()"))
              .append("achievements", v2("['j']")));
    } catch (MongoException | BsonSerializationException e) {
      Assumptions.abort("this server stores no symbol or JavaScript _id: " + e);
    }
    insert("{_id: 'a', achievements: ['a']}", "{_id: 1, achievements: ['n']}");

    MigrationResult result = run(options().withAssumeYes(true).withBatchSize(1), "");

    assertThat(result.migrated()).isEqualTo(4);
    assertThat(users.countDocuments(BsonDocument.parse("{achievements_v2: {$exists: false}}")))
        .isZero();
  }

  // ---- dry run and confirmation ------------------------------------------------------------

  @Test
  void dryRunWritesNothingAndCountsWhatTheRealRunDoes() {
    insertSample(300);
    List<String> before = bytes();
    List<String> collectionsBefore = database.listCollectionNames().into(new ArrayList<>());

    MigrationResult dry = run(options().withDryRun(true), "");

    assertThat(bytes()).isEqualTo(before);
    assertThat(database.listCollectionNames().into(new ArrayList<>()))
        .containsExactlyInAnyOrderElementsOf(collectionsBefore);
    assertThat(output()).contains("Dry run: reading and converting only; nothing will be written.");
    assertThat(output()).doesNotContain("Type YES");

    MigrationResult real = run(options().withAssumeYes(true), "");
    assertThat(real.eligible()).isEqualTo(dry.eligible());
    assertThat(real.migrated()).isEqualTo(dry.migrated());
    assertThat(real.rejectedByReason()).isEqualTo(dry.rejectedByReason());
    assertThat(real.notes()).isEqualTo(dry.notes());
    assertThat(real.migrated()).isPositive();
  }

  @Test
  void typedYesMigrates() {
    insert("{_id: 1, createdAt: {$date: '2021-01-01T00:00:00Z'}, achievements: ['a']}");

    MigrationResult result = run(options(), "YES\n");

    assertThat(result.status()).isEqualTo(RunStatus.COMPLETED);
    assertThat(result.migrated()).isEqualTo(1);
    String namespace = users.getNamespace().getFullName();
    assertThat(output())
        .isEqualTo(
            "Collection: "
                + namespace
                + "\n"
                + "Counting eligible users...\n"
                + "Eligible users: 1\n"
                + "Migrate 1 eligible users in "
                + namespace
                + "? Type YES to continue: \n"
                + "Summary\n"
                + "  eligible     1\n"
                + "  migrated     1\n"
                + "  rejected     0\n"
                + "  conflicts    0\n"
                + "  failed       0\n"
                + "  run start    2026-01-02T03:04:05.678Z (the unlockedAt of last resort)\n"
                + "  duration     0.000 s (n/a users/s)\n");
    assertThat(v2Of(1)).isNotNull();
  }

  @Test
  void declinedPromptWritesNothing() {
    insertSample(50);
    List<String> before = bytes();

    for (String answer : List.of("yes\n", "YES \n", "no\n", "\n", "Y\n")) {
      MigrationResult result = run(options(), answer);
      assertThat(result.status()).as(answer).isEqualTo(RunStatus.ABORTED);
      assertThat(output())
          .endsWith(
              "? Type YES to continue: \nAborted: the answer was not YES; nothing was written.\n");
      assertThat(bytes()).isEqualTo(before);
    }
  }

  @Test
  void closedStandardInputRefusesAtOnceAndWritesNothing() {
    insertSample(50);
    List<String> before = bytes();

    MigrationResult result = run(options(), "");

    assertThat(result.status()).isEqualTo(RunStatus.ABORTED);
    assertThat(output())
        .endsWith(
            "? Type YES to continue: \nAborted: no answer on standard input (closed or at its end);"
                + " nothing was written. Use --yes to run without the prompt.\n");
    assertThat(bytes()).isEqualTo(before);
  }

  @Test
  void nothingEligibleAsksNothing() {
    insert("{_id: 1, achievements: []}");

    MigrationResult result = run(options(), "");

    assertThat(result.status()).isEqualTo(RunStatus.COMPLETED);
    assertThat(result.complete()).isTrue();
    assertThat(output()).endsWith("Eligible users: 0\nNothing to migrate.\n");
  }

  // ---- idempotence ---------------------------------------------------------------------------

  @Test
  void secondRunChangesNothing() {
    insertSample(300);
    MigrationResult first = run(options().withAssumeYes(true), "");
    List<String> afterFirst = bytes();

    MigrationResult second = run(options().withAssumeYes(true), "");

    assertThat(bytes()).isEqualTo(afterFirst);
    assertThat(second.migrated()).isZero();
    assertThat(second.eligible()).isEqualTo(first.rejected());
    assertThat(second.rejectedByReason()).isEqualTo(first.rejectedByReason());
  }

  // ---- writes beside the application ----------------------------------------------------------

  @Test
  void userChangedBetweenReadAndWriteIsNotOverwrittenAndEndsMigratedFromItsNewValue() {
    insert(
        "{_id: 1, createdAt: {$date: '2021-01-01T00:00:00Z'}, achievements: ['old']}",
        "{_id: 2, createdAt: {$date: '2021-01-01T00:00:00Z'}, achievements: ['b']}");
    UserStore store =
        applicationWritesBeforeEachWrite(
            1,
            write ->
                users.updateOne(
                    id(1), BsonDocument.parse("{$set: {achievements: ['new', 'newer']}}")));

    MigrationResult result = run(store, options().withAssumeYes(true), "");

    assertThat(result.migrated()).isEqualTo(2);
    assertThat(result.conflicts()).isZero();
    assertThat(result.complete()).isTrue();
    String jan1 = "{$date: '2021-01-01T00:00:00Z'}";
    assertThat(v2Of(1))
        .isEqualTo(
            v2(
                "[{achievementId: 'new', unlockedAt: "
                    + jan1
                    + "}, {achievementId: 'newer', unlockedAt: "
                    + jan1
                    + "}]"));
    assertThat(find(1).getArray("achievements")).isEqualTo(v2("['new', 'newer']"));
  }

  @Test
  void createdAtChangedBetweenReadAndWriteIsAConflictToo() {
    insert("{_id: 1, createdAt: 'yesterday', achievements: ['a']}");
    UserStore store =
        applicationWritesBeforeEachWrite(
            1,
            write ->
                users.updateOne(id(1), BsonDocument.parse("{$set: {createdAt: '2020-05-06'}}")));

    MigrationResult result = run(store, options().withAssumeYes(true), "");

    assertThat(result.migrated()).isEqualTo(1);
    assertThat(v2Of(1))
        .isEqualTo(v2("[{achievementId: 'a', unlockedAt: {$date: '2020-05-06T00:00:00Z'}}]"));
    assertThat(result.notes()).isEqualTo(Map.of(Note.CREATED_AT_FROM_STRING, 1L));
  }

  @Test
  void userTheApplicationKeepsChangingIsReportedAndNotWritten() {
    insert(
        "{_id: 1, createdAt: {$date: '2021-01-01T00:00:00Z'}, achievements: ['a']}",
        "{_id: 2, createdAt: {$date: '2021-01-01T00:00:00Z'}, achievements: ['b']}");
    AtomicInteger version = new AtomicInteger();
    UserStore store =
        applicationWritesBeforeEachWrite(
            Integer.MAX_VALUE,
            write ->
                users.updateOne(
                    id(1),
                    new BsonDocument(
                        "$set",
                        new BsonDocument(
                            "achievements",
                            new BsonArray(List.of(new BsonInt32(version.incrementAndGet())))))));

    MigrationResult result = run(store, options().withAssumeYes(true), "");

    assertThat(result.migrated()).isEqualTo(1);
    assertThat(result.conflicts()).isEqualTo(1);
    assertThat(result.complete()).isFalse();
    assertThat(find(1).containsKey("achievements_v2")).isFalse();
    assertThat(output())
        .contains(
            "Conflicts (1):\n  _id 1: changed by the application between read and write, twice\n");
  }

  @Test
  void achievementsV2WrittenByTheApplicationMeanwhileIsKept() {
    insert("{_id: 1, createdAt: {$date: '2021-01-01T00:00:00Z'}, achievements: ['a']}");
    BsonArray theirs =
        v2("[{achievementId: 'theirs', unlockedAt: {$date: '2025-01-01T00:00:00Z'}}]");
    UserStore store =
        applicationWritesBeforeEachWrite(
            1,
            write ->
                users.updateOne(
                    id(1), new BsonDocument("$set", new BsonDocument("achievements_v2", theirs))));

    MigrationResult result = run(store, options().withAssumeYes(true), "");

    assertThat(v2Of(1)).isEqualTo(theirs);
    assertThat(result.skipped()).isEqualTo(1);
    assertThat(result.migrated()).isZero();
    assertThat(result.complete()).isTrue();
  }

  @Test
  void v2ThatBecameNullArrayIsNotOverwritten() {
    insert("{_id: 1, createdAt: {$date: '2021-01-01T00:00:00Z'}, achievements: ['a']}");
    UserStore store =
        applicationWritesBeforeEachWrite(
            1,
            write ->
                users.updateOne(id(1), BsonDocument.parse("{$set: {achievements_v2: [null]}}")));

    MigrationResult result = run(store, options().withAssumeYes(true), "");

    assertThat(v2Of(1)).isEqualTo(v2("[null]"));
    assertThat(result.skipped()).isEqualTo(1);
  }

  @Test
  void guardComparesWholeValuesNotArrayElements() {
    BsonDocument read = BsonDocument.parse("{_id: 1, createdAt: 5, achievements: ['a', 'b']}");
    insert("{_id: 1, createdAt: 5, achievements: [['a', 'b'], 'c']}");
    assertThat(users.countDocuments(WriteGuard.unchangedSince(read))).isZero();
    users.updateOne(
        id(1), BsonDocument.parse("{$set: {achievements: ['a', 'b'], createdAt: [5]}}"));
    assertThat(users.countDocuments(WriteGuard.unchangedSince(read))).isZero();
    users.updateOne(id(1), BsonDocument.parse("{$set: {createdAt: 5}}"));
    assertThat(users.countDocuments(WriteGuard.unchangedSince(read))).isEqualTo(1);
    users.updateOne(id(1), BsonDocument.parse("{$unset: {createdAt: 1}}"));
    assertThat(users.countDocuments(WriteGuard.unchangedSince(read))).isZero();
  }

  @Test
  void guardRequiresCreatedAtStillMissingWhenItWasMissing() {
    BsonDocument read = BsonDocument.parse("{_id: 1, achievements: ['$a']}");
    insert("{_id: 1, achievements: ['$a']}");
    assertThat(users.countDocuments(WriteGuard.unchangedSince(read))).isEqualTo(1);
    users.updateOne(id(1), BsonDocument.parse("{$set: {createdAt: null}}"));
    assertThat(users.countDocuments(WriteGuard.unchangedSince(read))).isZero();
  }

  /**
   * Numbers of one value in four BSON types compare equal, yet the decimal is no epoch time: a
   * createdAt whose type alone changed between read and write is a conflict, and the user ends
   * converted from what it holds now.
   */
  @Test
  void aCreatedAtWhoseNumericTypeChangedBetweenReadAndWriteIsAConflict() {
    List<BsonValue> forms =
        List.of(
            new BsonInt32(1_600_000_000),
            new BsonInt64(1_600_000_000L),
            new BsonDouble(1_600_000_000.0),
            new BsonDecimal128(new Decimal128(1_600_000_000L)));
    for (BsonValue from : forms) {
      for (BsonValue to : forms) {
        if (from.getBsonType() == to.getBsonType()) {
          continue;
        }
        String pair = from.getBsonType() + " -> " + to.getBsonType();
        users.drop();
        users.insertOne(
            new BsonDocument("_id", new BsonInt32(1))
                .append("createdAt", from)
                .append("achievements", v2("['a']")));
        AtomicInteger conflicts = new AtomicInteger();
        UserStore store =
            countingConflicts(
                conflicts,
                applicationWritesBeforeEachWrite(
                    1,
                    // the application saves the whole user (mongo-java-server keeps the
                    // stored type on a $set of an equal value; mongod does not)
                    write ->
                        users.replaceOne(
                            id(1),
                            new BsonDocument("_id", new BsonInt32(1))
                                .append("createdAt", to)
                                .append("achievements", v2("['a']")))));

        MigrationResult result = run(store, options().withAssumeYes(true), "");

        assertThat(conflicts.get()).as(pair).isEqualTo(1);
        assertThat(result.migrated()).as(pair).isEqualTo(1);
        BsonDocument now = find(1);
        ConversionResult expected = Conversion.convert(now, NOW);
        assertThat(v2Of(1))
            .as(pair)
            .isEqualTo(((ConversionResult.Migrate) expected).achievementsV2());
      }
    }
  }

  /**
   * Numbers of one value convert to the same id whatever their type: an achievement whose type
   * alone changed between read and write is written, and the v2 is exactly what the user's current
   * value gives (the guard pins only the types that convert differently).
   */
  @Test
  void anAchievementWhoseNumericTypeAloneChangedIsWrittenAsItsNewValueConverts() {
    insert("{_id: 1, createdAt: {$date: '2021-01-01T00:00:00Z'}, achievements: ['a', 7]}");
    AtomicInteger conflicts = new AtomicInteger();
    UserStore store =
        countingConflicts(
            conflicts,
            applicationWritesBeforeEachWrite(
                1,
                write ->
                    users.replaceOne(
                        id(1),
                        BsonDocument.parse(
                            "{_id: 1, createdAt: {$date: '2021-01-01T00:00:00Z'}, achievements:"
                                + " ['a', {$numberLong: '7'}]}"))));

    MigrationResult result = run(store, options().withAssumeYes(true), "");

    assertThat(result.migrated()).isEqualTo(1);
    assertThat(v2Of(1))
        .isEqualTo(((ConversionResult.Migrate) Conversion.convert(find(1), NOW)).achievementsV2());
    assertThat(Verification.check(find(1), Set.of()).finding()).isEqualTo(Finding.MIGRATED);
  }

  /**
   * A string and a symbol of the same text compare equal; the conversion takes the one and rejects
   * the other. mongo-java-server stores no symbol: this runs on a real server.
   */
  @Test
  void aStringThatBecameASymbolBetweenReadAndWriteIsAConflict() {
    insert(
        "{_id: 1, createdAt: '2020-05-06', achievements: ['a']}",
        "{_id: 2, createdAt: {$date: '2021-01-01T00:00:00Z'}, achievements: ['b', 'c']}");
    try {
      users.insertOne(
          new BsonDocument("_id", new BsonInt32(99)).append("s", new BsonSymbol("probe")));
      users.deleteOne(id(99));
    } catch (MongoException | BsonSerializationException e) {
      Assumptions.abort("this server stores no symbol: " + e);
    }
    AtomicInteger conflicts = new AtomicInteger();
    UserStore store =
        countingConflicts(
            conflicts,
            applicationWritesBeforeEachWrite(
                1,
                write -> {
                  users.updateOne(
                      id(1),
                      new BsonDocument(
                          "$set", new BsonDocument("createdAt", new BsonSymbol("2020-05-06"))));
                  users.updateOne(
                      id(2),
                      new BsonDocument(
                          "$set",
                          new BsonDocument(
                              "achievements",
                              new BsonArray(List.of(new BsonString("b"), new BsonSymbol("c"))))));
                }));

    MigrationResult result = run(store, options().withAssumeYes(true), "");

    assertThat(conflicts.get()).isEqualTo(2);
    // user 1 from its symbol createdAt (invalid: the run's start), user 2 rejected now
    assertThat(v2Of(1))
        .isEqualTo(v2("[{achievementId: 'a', unlockedAt: {$date: '2026-01-02T03:04:05.678Z'}}]"));
    assertThat(find(2).containsKey("achievements_v2")).isFalse();
    assertThat(result.rejectedByReason()).isEqualTo(Map.of(RejectReason.UNSUPPORTED_ELEMENT, 1L));
  }

  /**
   * On a sharded collection each user's update names its shard key's values as read: a user the
   * application moved to another shard in between is a conflict, migrated from where it is now.
   */
  @Test
  void withAShardKeyEveryUpdateRequiresItsValuesAndAMovedUserIsAConflict() {
    insert(
        "{_id: 1, region: 'eu', createdAt: {$date: '2021-01-01T00:00:00Z'}, achievements: ['a']}",
        "{_id: 2, region: 'us', createdAt: {$date: '2021-01-01T00:00:00Z'}, achievements: ['b']}",
        "{_id: 3, createdAt: {$date: '2021-01-01T00:00:00Z'}, achievements: ['c']}");
    ShardKey byRegion = new ShardKey(List.of("region"));
    AtomicInteger conflicts = new AtomicInteger();
    UserStore store =
        countingConflicts(
            conflicts,
            new ForwardingStore(
                new MongoUserStore(users, Duration.ofSeconds(30), byRegion, "test")) {
              private boolean moved;

              @Override
              public BatchResult write(List<PlannedWrite> planned) {
                if (!moved) {
                  moved = true;
                  users.updateOne(id(2), BsonDocument.parse("{$set: {region: 'ap'}}"));
                }
                return super.write(planned);
              }
            });

    MigrationResult result = run(store, options().withAssumeYes(true), "");

    assertThat(conflicts.get()).isEqualTo(1);
    assertThat(result.migrated()).isEqualTo(3);
    assertThat(users.countDocuments(BsonDocument.parse("{achievements_v2: {$size: 1}}")))
        .isEqualTo(3);
  }

  /**
   * Ids at the edges of their brackets: infinities beside the largest long, NaN, binary data of
   * several subtypes and lengths. Every user is read, whatever the page boundaries.
   */
  @Test
  void idsAtTheEdgesOfTheirBracketsAreAllRead() {
    insert(
        "{_id: -Infinity, achievements: ['a']}",
        "{_id: 1, achievements: ['a']}",
        "{_id: NaN, achievements: ['a']}",
        "{_id: 0.5, achievements: ['a']}",
        "{_id: Infinity, achievements: ['a']}",
        "{_id: {$numberLong: '9223372036854775807'}, achievements: ['a']}",
        "{_id: {$numberLong: '-9223372036854775808'}, achievements: ['a']}",
        "{_id: {$binary: {base64: 'AQI=', subType: '00'}}, achievements: ['a']}",
        "{_id: {$binary: {base64: 'AAAAAAAAAAAAAAAAAAAAAA==', subType: '04'}}, achievements: ['a']}",
        "{_id: {$binary: {base64: '/////////////////////w==', subType: '04'}}, achievements: ['a']}",
        "{_id: {$binary: {base64: 'gAAAAAAAAAAAAAAAAAAAAA==', subType: '04'}}, achievements: ['a']}");

    for (int batchSize : List.of(1, 2, 3, 1000)) {
      users.updateMany(new BsonDocument(), BsonDocument.parse("{$unset: {achievements_v2: 1}}"));
      MigrationResult result = run(options().withAssumeYes(true).withBatchSize(batchSize), "");
      assertThat(result.migrated()).as("batch size %d", batchSize).isEqualTo(11);
      assertThat(users.countDocuments(BsonDocument.parse("{achievements_v2: {$exists: false}}")))
          .as("batch size %d", batchSize)
          .isZero();
    }
  }

  /**
   * mongod sorts NaN before every other number but matches nothing {@code $gt} NaN: a page that
   * ends with a NaN {@code _id} must not end the numbers.
   */
  @Test
  void aNaNIdAtTheEndOfAPageSkipsNoUser() {
    insert(
        "{_id: NaN, achievements: ['n']}",
        "{_id: -Infinity, achievements: ['i']}",
        "{_id: 1, achievements: ['a']}",
        "{_id: 2.5, achievements: ['b']}",
        "{_id: 'a', achievements: ['s']}");

    for (int batchSize : List.of(1, 2, 1000)) {
      users.updateMany(new BsonDocument(), BsonDocument.parse("{$unset: {achievements_v2: 1}}"));
      MigrationResult dry = run(options().withDryRun(true).withBatchSize(batchSize), "");
      MigrationResult result = run(options().withAssumeYes(true).withBatchSize(batchSize), "");
      assertThat(dry.eligible()).as("batch size %d", batchSize).isEqualTo(5);
      assertThat(result.migrated()).as("batch size %d", batchSize).isEqualTo(5);
      assertThat(users.countDocuments(BsonDocument.parse("{achievements_v2: {$size: 1}}")))
          .isEqualTo(5);
    }
  }

  /**
   * A bulk write result does not say which update matched: the batch is read back. A user this run
   * migrated, that the application changed before the read-back, is counted skipped, not migrated:
   * its v2 is the application's now, kept as it is, and counted once.
   */
  @Test
  void aUserTheApplicationChangesBetweenTheWriteAndTheReadBackIsSkippedAndKept() {
    insert(
        "{_id: 1, createdAt: {$date: '2021-01-01T00:00:00Z'}, achievements: ['a']}",
        "{_id: 2, createdAt: {$date: '2021-01-01T00:00:00Z'}, achievements: ['b']}");
    AtomicInteger bulkWrites = new AtomicInteger();
    MongoCollection<BsonDocument> proxied =
        afterEachBulkWrite(
            users,
            () -> {
              if (bulkWrites.incrementAndGet() == 1) {
                users.updateOne(
                    id(1),
                    BsonDocument.parse(
                        "{$set: {achievements_v2: [{achievementId: 'app', unlockedAt: {$date:"
                            + " 0}}]}}"));
              }
            });
    AtomicInteger writes = new AtomicInteger();
    UserStore store =
        new ForwardingStore(new MongoUserStore(proxied)) {
          @Override
          public BatchResult write(List<PlannedWrite> planned) {
            if (writes.getAndIncrement() == 0) { // user 2 conflicts: the batch is read back
              users.updateOne(id(2), BsonDocument.parse("{$set: {achievements: ['b2']}}"));
            }
            return super.write(planned);
          }
        };

    MigrationResult result = run(store, options().withAssumeYes(true), "");

    assertThat(List.of(result.migrated(), result.skipped(), result.conflicts()))
        .containsExactly(1L, 1L, 0L);
    assertThat(v2Of(1)).isEqualTo(v2("[{achievementId: 'app', unlockedAt: {$date: 0}}]"));
    assertThat(v2Of(2))
        .isEqualTo(v2("[{achievementId: 'b2', unlockedAt: {$date: '2021-01-01T00:00:00Z'}}]"));
  }

  /** {@code real}, running {@code hook} after each bulk write that returns. */
  @SuppressWarnings("unchecked")
  static MongoCollection<BsonDocument> afterEachBulkWrite(
      MongoCollection<BsonDocument> real, Runnable hook) {
    return (MongoCollection<BsonDocument>)
        Proxy.newProxyInstance(
            MongoCollection.class.getClassLoader(),
            new Class<?>[] {MongoCollection.class},
            (proxy, method, args) -> {
              Object result;
              try {
                result = method.invoke(real, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
              if (result instanceof MongoCollection<?> collection) {
                return afterEachBulkWrite((MongoCollection<BsonDocument>) collection, hook);
              }
              if (method.getName().equals("bulkWrite")) {
                hook.run();
              }
              return result;
            });
  }

  /** {@code store}, adding the conflicts of every write to {@code conflicts}. */
  static UserStore countingConflicts(AtomicInteger conflicts, UserStore store) {
    return new ForwardingStore(store) {
      @Override
      public BatchResult write(List<PlannedWrite> planned) {
        BatchResult result = super.write(planned);
        conflicts.addAndGet(result.conflicts().size());
        return result;
      }
    };
  }

  @Test
  void runStoppedMidwayLeavesUsersWholeAndTheNextRunFinishes() {
    insertSample(500);
    List<BsonDocument> before = snapshot();
    UserStore real = new MongoUserStore(users);
    AtomicInteger writes = new AtomicInteger();
    UserStore dying =
        new ForwardingStore(real) {
          @Override
          public BatchResult write(List<PlannedWrite> planned) {
            if (writes.incrementAndGet() == 3) {
              throw new MongoSocketReadException("connection reset", new ServerAddress());
            }
            return super.write(planned);
          }
        };

    MigrationResult stopped = run(dying, options().withAssumeYes(true).withBatchSize(100), "");
    assertThat(stopped.status()).isEqualTo(RunStatus.FAILED);
    assertThat(stopped.failure()).isInstanceOf(MongoSocketReadException.class);
    assertThat(output()).contains("Stopped by an error; counts so far:");
    assertThat(stopped.unfinished()).isPositive();

    List<BsonDocument> midway = snapshot();
    long migratedMidway =
        midway.stream().filter(u -> u.containsKey("achievements_v2")).count()
            - before.stream().filter(u -> u.containsKey("achievements_v2")).count();
    assertThat(migratedMidway).isPositive();
    for (int i = 0; i < before.size(); i++) {
      assertUntouchedOrFullyMigrated(before.get(i), midway.get(i));
    }

    MigrationResult rest = run(options().withAssumeYes(true).withBatchSize(100), "");
    List<BsonDocument> after = snapshot();
    for (int i = 0; i < before.size(); i++) {
      assertUntouchedOrFullyMigrated(before.get(i), after.get(i));
      if (Conversion.convert(before.get(i), NOW) instanceof ConversionResult.Migrate
          && Eligibility.isEligible(before.get(i))) {
        assertThat(after.get(i).containsKey("achievements_v2")).as(after.get(i).toJson()).isTrue();
      }
    }
    assertThat(rest.conflicts() + rest.failed()).isZero();
  }

  /** {@code now} is {@code before}, or {@code before} with the whole v2 its conversion gives. */
  private static void assertUntouchedOrFullyMigrated(BsonDocument before, BsonDocument now) {
    if (now.equals(before)) {
      return;
    }
    assertThat(Eligibility.isEligible(before))
        .as("changed, so eligible: %s", before.toJson())
        .isTrue();
    ConversionResult converted = Conversion.convert(before, NOW);
    assertThat(converted).isInstanceOf(ConversionResult.Migrate.class);
    BsonDocument expected = before.clone();
    expected.put("achievements_v2", ((ConversionResult.Migrate) converted).achievementsV2());
    assertThat(now).isEqualTo(expected);
  }

  @Test
  void anApplicationWritingThroughoutTheRunNeverGetsAStaleV2() throws Exception {
    insertSample(1500);
    AtomicInteger changes = new AtomicInteger();
    AtomicBoolean running = new AtomicBoolean(true);
    List<BsonValue> ids = new ArrayList<>();
    Map<BsonValue, BsonValue> v2Before = new HashMap<>();
    users
        .find()
        .forEach(
            u -> {
              ids.add(u.get("_id"));
              v2Before.put(u.get("_id"), u.get("achievements_v2"));
            });
    Thread application =
        new Thread(
            () -> {
              Random random = new Random(3);
              while (running.get()) {
                BsonValue id = ids.get(random.nextInt(ids.size()));
                // only users not migrated yet: the application of a real rollout writes v2 itself
                users.updateOne(
                    new BsonDocument("_id", id)
                        .append("achievements_v2", new BsonDocument("$exists", BsonBoolean.FALSE)),
                    new BsonDocument(
                        "$set",
                        new BsonDocument(
                            "achievements",
                            new BsonArray(
                                List.of(new BsonString("app-" + changes.incrementAndGet()))))));
              }
            });
    // every batch waits for a few more of the application's writes: the two interleave however
    // fast the run is, instead of hoping the run lasts long enough
    UserStore interleaved =
        new ForwardingStore(new MongoUserStore(users)) {
          @Override
          public BatchResult write(List<PlannedWrite> planned) {
            int target = changes.get() + 3;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (changes.get() < target && System.nanoTime() < deadline) {
              Thread.onSpinWait();
            }
            return super.write(planned);
          }
        };
    application.start();
    MigrationResult result;
    try {
      result = run(interleaved, options().withAssumeYes(true).withBatchSize(20), "");
    } finally {
      running.set(false);
      application.join();
    }

    assertThat(changes.get()).isGreaterThan(100);
    long stillEligible = 0;
    for (BsonDocument user : snapshot()) {
      Finding finding = Verification.check(user, Set.of(NOW)).finding();
      if (!Objects.equals(user.get("achievements_v2"), v2Before.get(user.get("_id")))) {
        // written by the run: exactly what the user's final achievements give
        assertThat(finding).as(user.toJson()).isEqualTo(Finding.MIGRATED);
      }
      if (finding == Finding.STILL_ELIGIBLE) {
        stillEligible++;
      }
    }
    // left for the next run: users the application changed twice in a row (conflicts), and users
    // it made eligible (or convertible) after the run had passed them
    assertThat(stillEligible).isGreaterThanOrEqualTo(result.conflicts());
    run(options().withAssumeYes(true), "");
    assertThat(snapshot())
        .noneMatch(
            user -> Verification.check(user, Set.of(NOW)).finding() == Finding.STILL_ELIGIBLE);
  }

  @Test
  void progressMovesABatchAtATimeAndEndsAtTheCounts() {
    insertSample(400);
    List<ProgressListener.Snapshot> heard = Collections.synchronizedList(new ArrayList<>());
    output = new StringWriter();
    MigrationResult result =
        new MigrationRunner(
                RunSetup.builder(
                        new MongoUserStore(users),
                        new PrintWriter(output, true),
                        Clock.fixed(NOW, ZoneOffset.UTC),
                        options().withAssumeYes(true).withBatchSize(10).withWriters(1))
                    .progress(heard::add)
                    .build())
            .run();

    // pages of four batches: each batch moves the progress, not each page
    long distinct =
        heard.stream().mapToLong(ProgressListener.Snapshot::processed).distinct().count();
    assertThat(distinct).isGreaterThan(result.migrated() / 10);
    ProgressListener.Snapshot last = heard.get(heard.size() - 1);
    assertThat(last.processed()).isEqualTo(result.eligible());
    assertThat(last.migrated() + last.rejected() + last.failed())
        .isEqualTo(result.migrated() + result.rejected() + result.failed());
  }

  // ---- rollback -------------------------------------------------------------------------------

  @Test
  void rollbackKeepsAUserTheApplicationChangedBetweenReadAndWrite() {
    insert(
        "{_id: 1, createdAt: {$date: '2021-01-01T00:00:00Z'}, achievements: ['a']}",
        "{_id: 2, createdAt: {$date: '2021-01-01T00:00:00Z'}, achievements: ['b']}");
    run(options().withAssumeYes(true), "");
    UserStore store =
        new ForwardingStore(new MongoUserStore(users)) {
          @Override
          public BatchResult removeV2(List<PlannedWrite> removals) {
            users.updateOne(
                id(1),
                BsonDocument.parse(
                    "{$push: {achievements_v2: {achievementId: 'x', unlockedAt: {$date: 0}}}}"));
            return super.removeV2(removals);
          }
        };
    output = new StringWriter();

    RollbackResult result =
        new RollbackRunner(
                RunSetup.builder(
                        store,
                        new PrintWriter(output, true),
                        Clock.fixed(NOW, ZoneOffset.UTC),
                        options().withAssumeYes(true))
                    .progress(ProgressListener.NONE)
                    .build(),
                Set.of(NOW))
            .run();

    assertThat(result.rolledBack()).isEqualTo(1);
    assertThat(result.conflicts()).isEqualTo(1);
    assertThat(result.complete()).isFalse();
    assertThat(v2Of(1).asArray()).hasSize(2);
    assertThat(find(2).containsKey("achievements_v2")).isFalse();
  }

  // ---- failures -------------------------------------------------------------------------------

  @Test
  void oneFailingDocumentInABatchDoesNotStopTheOthers() {
    // A unique index that one user's new achievements_v2 collides with: the server refuses that
    // write alone.
    users.createIndex(
        Indexes.ascending("achievements_v2"), new IndexOptions().unique(true).sparse(true));
    String jan1 = "{$date: '2021-01-01T00:00:00Z'}";
    insert(
        "{_id: 0, achievements: ['dup'], createdAt: "
            + jan1
            + ", achievements_v2: [{achievementId: 'dup', unlockedAt: "
            + jan1
            + "}]}",
        "{_id: 1, achievements: ['a'], createdAt: " + jan1 + "}",
        "{_id: 2, achievements: ['dup'], createdAt: " + jan1 + "}",
        "{_id: 3, achievements: ['c'], createdAt: " + jan1 + "}");

    MigrationResult result = run(options().withAssumeYes(true), "");

    assertThat(result.failed()).isEqualTo(1);
    assertThat(result.migrated()).isEqualTo(2);
    assertThat(result.complete()).isFalse();
    assertThat(v2Of(1)).isNotNull();
    assertThat(v2Of(3)).isNotNull();
    assertThat(find(2).containsKey("achievements_v2")).isFalse();
    assertThat(output()).containsPattern("\nFailed \\(1\\):\n  _id 2: WRITE_ERROR:11000 .*\n");
  }

  // ---- helpers --------------------------------------------------------------------------------

  MigrationOptions options() {
    return MigrationOptions.defaults();
  }

  MigrationResult run(MigrationOptions options, String stdin) {
    return run(new MongoUserStore(users), options, stdin);
  }

  MigrationResult run(UserStore store, MigrationOptions options, String stdin) {
    output = new StringWriter();
    Confirmation confirmation =
        Confirmation.from(
            new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
            StandardCharsets.UTF_8);
    return new MigrationRunner(
            RunSetup.builder(
                    store, new PrintWriter(output, true), Clock.fixed(NOW, ZoneOffset.UTC), options)
                .confirmation(confirmation)
                .progress(ProgressListener.NONE)
                .build())
        .run();
  }

  String output() {
    return output.toString();
  }

  /** The real store, with the application writing just before the first {@code times} writes. */
  UserStore applicationWritesBeforeEachWrite(int times, Consumer<List<PlannedWrite>> application) {
    AtomicInteger writes = new AtomicInteger();
    return new ForwardingStore(new MongoUserStore(users)) {
      @Override
      public BatchResult write(List<PlannedWrite> planned) {
        if (writes.getAndIncrement() < times) {
          application.accept(planned);
        }
        return super.write(planned);
      }
    };
  }

  void insert(String... json) {
    for (String document : json) {
      users.insertOne(BsonDocument.parse(document));
    }
  }

  void insertSample(int count) {
    app.achievements.embedded.SampleUsers.insert(users, count, 42);
  }

  /** The collection's exact bytes, for "nothing changed at all". */
  List<String> bytes() {
    return TestMongo.bytes(users);
  }

  List<BsonDocument> snapshot() {
    return TestMongo.snapshot(users);
  }

  BsonDocument find(int id) {
    return users.find(id(id)).first();
  }

  BsonValue v2Of(int id) {
    return find(id).get("achievements_v2");
  }

  static BsonDocument id(int id) {
    return new BsonDocument("_id", new BsonInt32(id));
  }

  static BsonArray v2(String json) {
    return BsonDocument.parse("{v: " + json + "}").getArray("v");
  }
}
