package app.achievements.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.MongoException;
import com.mongodb.client.FindIterable;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import java.util.ArrayList;
import java.util.List;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EmbeddedMongoTest {

  private static EmbeddedMongo server;
  private static MongoClient client;
  private MongoCollection<BsonDocument> docs;

  @BeforeAll
  static void start() {
    server = EmbeddedMongo.start(0);
    client = MongoClients.create(server.connectionString());
  }

  @AfterAll
  static void stop() {
    client.close();
    server.close();
  }

  @BeforeEach
  void seed() {
    docs = client.getDatabase("embedded_test").getCollection("docs", BsonDocument.class);
    docs.drop();
    docs.insertMany(
        List.of(
            BsonDocument.parse("{_id: 1, zero: 1, a: 'x'}"),
            BsonDocument.parse("{_id: 2, zero: 0, a: 'x'}"),
            BsonDocument.parse("{_id: 3, zero: 0, a: 'y'}")));
  }

  /** mongod sorts NaN before every other number, and matches nothing {@code $gt} NaN. */
  @Test
  void idOrderPutsNaNFirstAsMongodDoesAndNothingIsGreaterThanIt() {
    docs.drop();
    docs.insertMany(
        List.of(
            BsonDocument.parse("{_id: 2}"),
            BsonDocument.parse("{_id: NaN}"),
            BsonDocument.parse("{_id: -Infinity}"),
            BsonDocument.parse("{_id: {$numberLong: '9000000000'}}"),
            BsonDocument.parse("{_id: 'a'}")));

    assertThat(docs.find().sort(BsonDocument.parse("{_id: 1}")).into(new ArrayList<>()))
        .extracting(d -> d.get("_id").toString())
        .containsExactly(
            "BsonDouble{value=NaN}",
            "BsonDouble{value=-Infinity}",
            "BsonInt32{value=2}",
            "BsonInt64{value=9000000000}",
            "BsonString{value='a'}");
    assertThat(
            docs.find(BsonDocument.parse("{_id: {$gt: NaN, $type: 'number'}}"))
                .sort(BsonDocument.parse("{_id: 1}"))
                .into(new ArrayList<>()))
        .isEmpty();
    assertThat(
            docs.find(BsonDocument.parse("{_id: {$gte: -Infinity}}"))
                .sort(BsonDocument.parse("{_id: 1}"))
                .into(new ArrayList<>()))
        .hasSize(3);
  }

  /** Types this server cannot store match nothing, as on a mongod that holds none of them. */
  @Test
  void typesItCannotStoreAreAnsweredNotRefused() {
    assertThat(docs.countDocuments(BsonDocument.parse("{a: {$type: 'symbol'}}"))).isZero();
    assertThat(docs.countDocuments(BsonDocument.parse("{a: {$not: {$type: 'symbol'}}}")))
        .isEqualTo(3);
    assertThat(
            docs.find(BsonDocument.parse("{_id: {$type: ['javascript', 'int']}}"))
                .into(new ArrayList<>()))
        .hasSize(3);
    assertThat(docs.find(BsonDocument.parse("{_id: {$type: [14, 'dbPointer']}}")).first()).isNull();
    assertThat(
            docs.updateOne(
                    BsonDocument.parse("{_id: 1, a: {$not: {$type: 'symbol'}}}"),
                    BsonDocument.parse("{$set: {b: 1}}"))
                .getModifiedCount())
        .isEqualTo(1);
  }

  @Test
  void listensOnLoopbackOnly() {
    assertThat(server.connectionString()).isEqualTo("mongodb://127.0.0.1:" + server.port());
  }

  @Test
  void idEqualityBesideOtherConditionsExaminesOnlyThatDocument() {
    // Dividing by "zero" fails on users 2 and 3: a scan of the whole collection would throw.
    BsonDocument filter =
        BsonDocument.parse("{_id: 1, a: 'x', $expr: {$gt: [{$divide: [1, '$zero']}, 0]}}");
    assertThat(docs.find(filter).into(new ArrayList<>()))
        .extracting(d -> d.getInt32("_id").getValue())
        .containsExactly(1);
    assertThat(docs.updateOne(filter, BsonDocument.parse("{$set: {b: 1}}")).getModifiedCount())
        .isEqualTo(1);
    BsonDocument inAnd =
        BsonDocument.parse(
            "{$and: [{_id: 1}, {a: 'x'}, {$expr: {$gt: [{$divide: [1, '$zero']}, 0]}}]}");
    assertThat(docs.countDocuments(inAnd)).isEqualTo(1);
  }

  @Test
  void theStockServerWouldHaveScannedTheWholeCollection() {
    BsonDocument withoutId =
        BsonDocument.parse("{a: 'x', $expr: {$gt: [{$divide: [1, '$zero']}, 0]}}");
    assertThatThrownBy(() -> docs.find(withoutId).into(new ArrayList<>()))
        .isInstanceOf(MongoException.class);
  }

  @Test
  void queriesSortedByIdWalkTheIdOrderAndStopAtTheirLimit() {
    docs.insertOne(BsonDocument.parse("{_id: 0, zero: 1, a: 'x'}"));
    BsonDocument divides = BsonDocument.parse("{$expr: {$gt: [{$divide: [1, '$zero']}, 0]}}");
    // Users 2 and 3 would fail the division: only 0 and 1 may be examined.
    assertThat(ids(docs.find(divides).sort(BsonDocument.parse("{_id: 1}")).limit(2)))
        .containsExactly(0, 1);
    BsonDocument fromOne =
        BsonDocument.parse(
            "{$and: [{_id: {$gt: 0}}, {$expr: {$gt: [{$divide: [1, '$zero']}, 0]}}]}");
    assertThat(ids(docs.find(fromOne).sort(BsonDocument.parse("{_id: 1}")).limit(1)))
        .containsExactly(1);
    assertThat(
            ids(
                docs.find(BsonDocument.parse("{_id: {$gte: 2}}"))
                    .sort(BsonDocument.parse("{_id: 1}"))))
        .containsExactly(2, 3);
    docs.deleteOne(BsonDocument.parse("{_id: 2}"));
    assertThat(
            ids(
                docs.find(BsonDocument.parse("{a: {$exists: true}}"))
                    .sort(BsonDocument.parse("{_id: 1}"))))
        .containsExactly(0, 1, 3);
  }

  @Test
  void queriesSortedByIdOnlyMatchDocumentsOfTheirIdType() {
    docs.insertOne(BsonDocument.parse("{_id: 'text', zero: 0, a: 'x'}")); // would fail the division
    BsonDocument intsOnly =
        BsonDocument.parse(
            "{$and: [{_id: {$type: ['int']}}, {_id: {$gt: 3}},"
                + " {$expr: {$gt: [{$divide: [1, '$zero']}, 0]}}]}");
    // no int after 3: the string id that follows in _id order is never matched
    assertThat(ids(docs.find(intsOnly).sort(BsonDocument.parse("{_id: 1}")).limit(1))).isEmpty();
  }

  @Test
  void queriesNamingIdTypesOnlyMatchDocumentsOfThoseTypes() {
    docs.insertOne(BsonDocument.parse("{_id: 'text', zero: 1, a: 'y'}"));
    // Users 2 and 3 (int ids) would fail the division: only the string id may be examined.
    String divides = "{$expr: {$gt: [{$divide: [1, '$zero']}, 0]}}";
    BsonDocument notInts =
        BsonDocument.parse("{$and: [{_id: {$not: {$type: ['int']}}}, " + divides + "]}");
    assertThat(docs.find(notInts).map(d -> d.get("_id")).into(new ArrayList<>()))
        .containsExactly(new BsonString("text"));
    BsonDocument strings =
        BsonDocument.parse("{_id: {$type: 'string'}, $expr: {$gt: [{$divide: [1, '$zero']}, 0]}}");
    assertThat(docs.countDocuments(strings)).isEqualTo(1);
    // the rest of the filter still applies
    assertThat(ids(docs.find(BsonDocument.parse("{$and: [{_id: {$type: 'int'}}, {a: 'y'}]}"))))
        .containsExactly(3);
    assertThat(docs.countDocuments(BsonDocument.parse("{$and: [{_id: {$type: 'int'}}]}")))
        .isEqualTo(3);
    assertThat(docs.countDocuments(BsonDocument.parse("{_id: {$not: {$type: 'string'}}, a: 'x'}")))
        .isEqualTo(2);
  }

  @Test
  void aTypeWithNoKeyLeftFindsNothingAndComesBackWithItsKeys() {
    BsonDocument strings = BsonDocument.parse("{_id: {$type: 'string'}}");
    assertThat(docs.countDocuments(strings)).isZero();
    docs.insertOne(BsonDocument.parse("{_id: 'a'}"));
    docs.insertOne(BsonDocument.parse("{_id: 'b'}"));
    assertThat(docs.countDocuments(strings)).isEqualTo(2);
    docs.deleteOne(BsonDocument.parse("{_id: 'a'}"));
    assertThat(docs.countDocuments(strings)).isEqualTo(1);
    docs.deleteOne(BsonDocument.parse("{_id: 'b'}"));
    assertThat(docs.countDocuments(strings)).isZero();
    docs.insertOne(BsonDocument.parse("{_id: 'c'}"));
    assertThat(
            docs.find(strings)
                .sort(BsonDocument.parse("{_id: 1}"))
                .map(d -> d.get("_id"))
                .into(new ArrayList<>()))
        .containsExactly(new BsonString("c"));
    assertThat(docs.countDocuments(BsonDocument.parse("{_id: {$type: 'null'}}"))).isZero();
    docs.insertOne(BsonDocument.parse("{_id: null}"));
    assertThat(docs.countDocuments(BsonDocument.parse("{_id: {$type: 'null'}}"))).isEqualTo(1);
  }

  private static List<Integer> ids(FindIterable<BsonDocument> found) {
    return found.map(d -> d.getInt32("_id").getValue()).into(new ArrayList<>());
  }

  @Test
  void idEqualityStillAppliesTheOtherConditions() {
    assertThat(docs.countDocuments(BsonDocument.parse("{_id: 2, a: 'y'}"))).isZero();
    assertThat(docs.countDocuments(BsonDocument.parse("{_id: 3, a: 'y'}"))).isEqualTo(1);
    assertThat(docs.countDocuments(BsonDocument.parse("{_id: {$in: [1, 2, 3]}, a: 'x'}")))
        .isEqualTo(2);
    assertThat(docs.countDocuments(BsonDocument.parse("{_id: {$gt: 1}, a: 'x'}"))).isEqualTo(1);
    assertThat(docs.countDocuments(BsonDocument.parse("{_id: 4, a: 'x'}"))).isZero();
  }
}
