package app.achievements.embedded;

import com.mongodb.client.MongoCollection;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.bson.BsonArray;
import org.bson.BsonBoolean;
import org.bson.BsonDateTime;
import org.bson.BsonDecimal128;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonNull;
import org.bson.BsonObjectId;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.types.Decimal128;
import org.bson.types.ObjectId;

/**
 * Realistic users for the demo, the sandbox and tests: mostly well-formed, with every kind of messy
 * value that SPEC.md covers, some users already migrated and some not eligible at all. The same
 * count and seed always give the same users.
 */
public final class SampleUsers {

  /** One kind of messy user: a name for the operator and how it differs from a clean user. */
  public record Kind(String name, Function<BsonDocument, BsonDocument> mess) {}

  private static final List<String> ACHIEVEMENTS =
      List.of(
          "first_login",
          "streak_7",
          "streak_30",
          "profile_complete",
          "first_purchase",
          "invite_friend",
          "night_owl",
          "early_bird",
          "level_10",
          "level_50",
          "marathon",
          "collector");

  /** Every messy kind, each shown in a demo; one user in five is messy. */
  public static final List<Kind> KINDS =
      List.of(
          kind(
              "int and long ids",
              u -> u.append("achievements", array(7, 9_007_199_254_740_993L, -3))),
          kind("integral double id", u -> u.append("achievements", array(7.0, "streak_7"))),
          kind("non-integral double id", u -> u.append("achievements", array("streak_7", 7.5))),
          kind(
              "decimal128 id",
              u ->
                  u.append(
                      "achievements", array(new BsonDecimal128(Decimal128.parse("12.00")), "x"))),
          kind(
              "ObjectId id",
              u -> u.append("achievements", array(new ObjectId("5f1e2d3c4b5a697887766554")))),
          kind("nulls among ids", u -> u.append("achievements", array(null, "first_login", null))),
          kind("only nulls", u -> u.append("achievements", array(null, null))),
          kind("duplicate ids", u -> u.append("achievements", array("a", "b", "a", 1, "1"))),
          kind("blank id", u -> u.append("achievements", array("first_login", "  "))),
          kind("bool id", u -> u.append("achievements", array(true))),
          kind(
              "document id",
              u -> u.append("achievements", array(new BsonDocument("id", new BsonString("a"))))),
          kind(
              "nested array id",
              u -> u.append("achievements", array(new BsonArray(List.of(new BsonString("a")))))),
          kind(
              "achievements is a string",
              u -> u.append("achievements", new BsonString("first_login"))),
          kind(
              "achievements is an object",
              u -> u.append("achievements", new BsonDocument("a", new BsonInt32(1)))),
          kind(
              "createdAt ISO string with Z",
              u -> u.append("createdAt", new BsonString("2022-03-04T05:06:07Z"))),
          kind(
              "createdAt ISO string with offset",
              u -> u.append("createdAt", new BsonString("2022-03-04T05:06:07.123456+02:00"))),
          kind(
              "createdAt ISO string without zone",
              u -> u.append("createdAt", new BsonString("2022-03-04T05:06:07"))),
          kind("createdAt date only", u -> u.append("createdAt", new BsonString("2022-03-04"))),
          kind(
              "createdAt with a space and padding",
              u -> u.append("createdAt", new BsonString(" 2022-03-04 05:06 "))),
          kind("createdAt unparseable", u -> u.append("createdAt", new BsonString("yesterday"))),
          kind(
              "createdAt impossible date",
              u -> u.append("createdAt", new BsonString("2022-02-30T10:00:00Z"))),
          kind("createdAt missing", u -> without(u, "createdAt")),
          kind("createdAt null", u -> u.append("createdAt", BsonNull.VALUE)),
          kind("createdAt epoch seconds", u -> u.append("createdAt", new BsonInt32(1_600_000_000))),
          kind(
              "createdAt epoch millis",
              u -> u.append("createdAt", new BsonInt64(1_600_000_000_123L))),
          kind(
              "createdAt epoch seconds as double",
              u -> u.append("createdAt", new BsonDouble(1_600_000_000.5))),
          kind("createdAt out of range", u -> u.append("createdAt", new BsonInt64(Long.MAX_VALUE))),
          kind("createdAt is a bool", u -> u.append("createdAt", BsonBoolean.TRUE)),
          kind(
              "string _id, createdAt unparseable",
              u -> u.append("createdAt", new BsonString("n/a"))),
          kind("int _id", u -> u),
          kind("achievements_v2 null", u -> u.append("achievements_v2", BsonNull.VALUE)),
          kind("achievements_v2 empty", u -> u.append("achievements_v2", new BsonArray())),
          kind("already migrated", u -> u.append("achievements_v2", migrated(u))),
          kind(
              "achievements_v2 [null] (not eligible)",
              u -> u.append("achievements_v2", array((Object) null))),
          kind("achievements empty (not eligible)", u -> u.append("achievements", new BsonArray())),
          kind("achievements null (not eligible)", u -> u.append("achievements", BsonNull.VALUE)),
          kind("achievements missing (not eligible)", u -> without(u, "achievements")));

  private SampleUsers() {}

  /** {@code count} users from {@code seed}, in insertion order. */
  public static List<BsonDocument> generate(int count, long seed) {
    Random random = new Random(seed);
    List<BsonDocument> users = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      users.add(user(i, random));
    }
    return users;
  }

  /** Inserts {@code count} users from {@code seed} into {@code users}, in batches. */
  public static void insert(MongoCollection<BsonDocument> users, int count, long seed) {
    insert(users, generate(count, seed));
  }

  /** Inserts {@code all} into {@code users}, in batches. */
  public static void insert(MongoCollection<BsonDocument> users, List<BsonDocument> all) {
    for (int from = 0; from < all.size(); from += 1000) {
      users.insertMany(all.subList(from, Math.min(all.size(), from + 1000)));
    }
  }

  /** The kind of user {@code index}, or null for a clean one. */
  public static Kind kindOf(int index) {
    return index % 5 == 4 ? KINDS.get((index / 5) % KINDS.size()) : null;
  }

  private static BsonDocument user(int index, Random random) {
    Kind kind = kindOf(index);
    Instant created =
        Instant.parse("2019-01-01T00:00:00Z").plusSeconds(random.nextInt(6 * 365 * 24 * 3600));
    BsonValue id = new BsonObjectId(objectId(created, index));
    if (kind != null && kind.name().startsWith("string _id")) {
      id = new BsonString("user-" + index);
    } else if (kind != null && kind.name().equals("int _id")) {
      id = new BsonInt32(index);
    }
    BsonDocument user = new BsonDocument("_id", id);
    user.append("username", new BsonString("user" + index));
    user.append("email", new BsonString("user" + index + "@example.com"));
    BsonDocument fields = new BsonDocument();
    fields.append("createdAt", new BsonDateTime(created.toEpochMilli()));
    fields.append("achievements", cleanAchievements(random));
    if (kind != null) {
      fields = kind.mess().apply(fields);
    }
    for (String field : List.of("createdAt", "achievements", "achievements_v2")) {
      if (fields.containsKey(field)) {
        user.append(field, fields.get(field));
      }
    }
    user.append("xp", new BsonInt32(random.nextInt(100_000)));
    user.append(
        "settings",
        new BsonDocument("theme", new BsonString(random.nextBoolean() ? "dark" : "light"))
            .append("emails", BsonBoolean.valueOf(random.nextBoolean())));
    return user;
  }

  /**
   * An ObjectId made of the creation time and the user's index only: {@code new ObjectId(time,
   * counter)} would add this process's random bytes, and the same seed would give other ids.
   */
  private static ObjectId objectId(Instant created, int index) {
    ByteBuffer bytes = ByteBuffer.allocate(12);
    bytes.putInt((int) created.getEpochSecond());
    bytes.put(new byte[] {0x5a, 0x4d, 0x50, 0x4c, 0x45}); // "ZMPLE": no process's random bytes
    bytes.put((byte) (index >>> 16)).put((byte) (index >>> 8)).put((byte) index);
    return new ObjectId(bytes.array());
  }

  private static BsonArray cleanAchievements(Random random) {
    BsonArray achievements = new BsonArray();
    int count = 1 + random.nextInt(6);
    List<String> pool = new ArrayList<>(ACHIEVEMENTS);
    for (int i = 0; i < count; i++) {
      achievements.add(new BsonString(pool.remove(random.nextInt(pool.size()))));
    }
    return achievements;
  }

  private static BsonArray migrated(BsonDocument user) {
    BsonArray v2 = new BsonArray();
    for (BsonValue id : user.getArray("achievements")) {
      v2.add(new BsonDocument("achievementId", id).append("unlockedAt", user.get("createdAt")));
    }
    return v2;
  }

  private static BsonDocument without(BsonDocument fields, String field) {
    fields.remove(field);
    return fields;
  }

  private static Kind kind(String name, Function<BsonDocument, BsonDocument> mess) {
    return new Kind(name, mess);
  }

  private static BsonArray array(Object... values) {
    BsonArray array = new BsonArray();
    for (Object value : values) {
      array.add(bson(value));
    }
    return array;
  }

  private static BsonValue bson(Object value) {
    if (value == null) {
      return BsonNull.VALUE;
    } else if (value instanceof BsonValue bson) {
      return bson;
    } else if (value instanceof String s) {
      return new BsonString(s);
    } else if (value instanceof Integer i) {
      return new BsonInt32(i);
    } else if (value instanceof Long l) {
      return new BsonInt64(l);
    } else if (value instanceof Double d) {
      return new BsonDouble(d);
    } else if (value instanceof Boolean b) {
      return BsonBoolean.valueOf(b);
    } else if (value instanceof ObjectId o) {
      return new BsonObjectId(o);
    }
    throw new IllegalArgumentException("no BSON for " + value);
  }
}
