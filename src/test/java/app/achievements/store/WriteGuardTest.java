package app.achievements.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonNull;
import org.bson.BsonString;
import org.bson.BsonSymbol;
import org.bson.BsonType;
import org.junit.jupiter.api.Test;

/** The filters the guard builds, as sent: what a server of any kind is asked to compare. */
class WriteGuardTest {

  @Test
  void theMigrationsFilterPinsValuesAndTheTypesThatConvertDifferently() {
    BsonDocument read =
        BsonDocument.parse(
            "{_id: 1, createdAt: 1600000000.0, achievements: ['a', 7, null, {$numberLong: '8'},"
                + " {$oid: '65a1b2c3d4e5f60718293a4c'}, 9.0, {$numberDecimal: '10'}]}");

    assertThat(WriteGuard.unchangedSince(read))
        .isEqualTo(
            BsonDocument.parse(
                "{_id: 1,"
                    + " $expr: {$and: [{$eq: ['$achievements', {$literal: ['a', 7, null,"
                    + " {$numberLong: '8'}, {$oid: '65a1b2c3d4e5f60718293a4c'}, 9.0,"
                    + " {$numberDecimal: '10'}]}]}, {$eq: ['$createdAt', {$literal:"
                    + " 1600000000.0}]}]},"
                    + " createdAt: {$type: 'double'},"
                    + " achievements: {$not: {$type: 'symbol'}},"
                    + " $or: [{achievements_v2: {$exists: false}}, {$and: [{achievements_v2:"
                    + " null}, {achievements_v2: {$not: {$type: 'array'}}}]}, {achievements_v2:"
                    + " {$size: 0}}]}"));
  }

  @Test
  void aCreatedAtIsPinnedToItsTypeASymbolToo() {
    BsonDocument read =
        new BsonDocument("_id", new BsonInt32(1))
            .append("createdAt", new BsonSymbol("2020-05-06"))
            .append("achievements", new BsonArray(List.of(new BsonString("a"))));

    BsonDocument filter = WriteGuard.unchangedSince(read);

    assertThat(filter.get("createdAt")).isEqualTo(BsonDocument.parse("{$type: 'symbol'}"));
    assertThat(filter.get("achievements"))
        .isEqualTo(BsonDocument.parse("{$not: {$type: 'symbol'}}"));
  }

  /**
   * The guard's size does not grow with the array beyond the values themselves: a user as large as
   * the server allows stays writable.
   */
  @Test
  void theFilterHoldsTheArrayOnceWhateverItsSize() {
    BsonArray large = new BsonArray();
    for (int i = 0; i < 10_000; i++) {
      large.add(new BsonString("id-" + i));
    }
    BsonDocument read = new BsonDocument("_id", new BsonInt32(1)).append("achievements", large);

    BsonDocument filter = WriteGuard.unchangedSince(read);

    assertThat(filter.keySet()).containsExactly("_id", "$expr", "createdAt", "achievements", "$or");
  }

  @Test
  void aMissingCreatedAtMustStillBeMissing() {
    BsonDocument filter =
        WriteGuard.unchangedSince(BsonDocument.parse("{_id: 1, achievements: []}"));
    assertThat(filter.get("createdAt")).isEqualTo(BsonDocument.parse("{$exists: false}"));
    assertThat(filter.getDocument("$expr").getArray("$and")).hasSize(1);
  }

  @Test
  void theRollbacksFilterPinsTheV2AndNoIdMayBeASymbol() {
    BsonDocument read =
        BsonDocument.parse(
            "{_id: 'u', createdAt: null, achievements: ['a', 'b'], achievements_v2:"
                + " [{achievementId: 'a', unlockedAt: {$date: 0}}, {achievementId: 'b',"
                + " unlockedAt: {$date: 0}}]}");

    BsonDocument filter = WriteGuard.migratedAsRead(read);

    assertThat(filter.getDocument("$expr").getArray("$and").get(0))
        .isEqualTo(
            BsonDocument.parse(
                "{$eq: ['$achievements_v2', {$literal: [{achievementId: 'a', unlockedAt: {$date:"
                    + " 0}}, {achievementId: 'b', unlockedAt: {$date: 0}}]}]}"));
    assertThat(filter.get("createdAt")).isEqualTo(BsonDocument.parse("{$type: 'null'}"));
    assertThat(filter.get("achievements_v2.achievementId"))
        .isEqualTo(BsonDocument.parse("{$not: {$type: 'symbol'}}"));
    assertThat(filter.containsKey("$or")).isFalse();
  }

  @Test
  void onAShardedCollectionTheShardKeysValuesReadAreRequiredToo() {
    BsonDocument read =
        BsonDocument.parse(
            "{_id: 1, region: 'eu', address: {zip: '1000'}, achievements: ['a'], createdAt: 5}");
    ShardKey key = new ShardKey(List.of("region", "address.zip", "tenant", "_id"));

    BsonDocument filter = WriteGuard.unchangedSince(read, key);

    assertThat(new ArrayList<>(filter.keySet()))
        .startsWith("_id", "region", "address.zip", "tenant", "$expr");
    assertThat(filter.get("region")).isEqualTo(new BsonString("eu"));
    assertThat(filter.get("address.zip")).isEqualTo(new BsonString("1000"));
    assertThat(filter.get("tenant")).isEqualTo(BsonNull.VALUE); // missing: null
    assertThat(WriteGuard.migratedAsRead(read.append("achievements_v2", new BsonArray()), key))
        .containsEntry("region", new BsonString("eu"));
  }

  @Test
  void aShardKeyOnCreatedAtKeepsItsEqualityAndTheTypeConditionGoesUnderAnd() {
    BsonDocument read = BsonDocument.parse("{_id: 1, achievements: ['a'], createdAt: 5}");

    BsonDocument filter = WriteGuard.unchangedSince(read, new ShardKey(List.of("createdAt")));

    assertThat(filter.get("createdAt")).isEqualTo(new org.bson.BsonInt32(5));
    assertThat(filter.getArray("$and"))
        .containsExactly(
            new BsonDocument("createdAt", WriteGuard.createdAtCondition(BsonType.INT32)),
            new BsonDocument("achievements", WriteGuard.noSymbol()));
    assertThat(filter.containsKey("achievements")).isFalse();
  }
}
