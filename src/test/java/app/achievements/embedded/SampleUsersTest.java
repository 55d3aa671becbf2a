package app.achievements.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import app.achievements.rules.Eligibility;
import java.util.List;
import org.bson.BsonDocument;
import org.junit.jupiter.api.Test;

class SampleUsersTest {

  @Test
  void theSameSeedGivesTheSameUsersInEveryProcess() {
    List<BsonDocument> users = SampleUsers.generate(10, 42);
    assertThat(users).isEqualTo(SampleUsers.generate(10, 42));
    // Fixed bytes, not this JVM's random ObjectId bytes.
    assertThat(users.get(0).getObjectId("_id").getValue().toHexString())
        .endsWith("5a4d504c45000000");
    assertThat(users.get(1).getObjectId("_id").getValue().toHexString())
        .endsWith("5a4d504c45000001");
  }

  @Test
  void everyKindAppearsAndSomeUsersAreNotEligible() {
    List<BsonDocument> users = SampleUsers.generate(5 * SampleUsers.KINDS.size(), 1);
    assertThat(users.stream().filter(u -> !Eligibility.isEligible(u)).count()).isGreaterThan(0);
    for (int kind = 0; kind < SampleUsers.KINDS.size(); kind++) {
      assertThat(SampleUsers.kindOf(5 * kind + 4)).isEqualTo(SampleUsers.KINDS.get(kind));
    }
    assertThat(SampleUsers.kindOf(0)).isNull();
    assertThat(userOfKind(users, "createdAt missing").containsKey("createdAt")).isFalse();
    assertThat(userOfKind(users, "achievements missing (not eligible)").containsKey("achievements"))
        .isFalse();
    assertThat(userOfKind(users, "string _id, createdAt unparseable").get("_id").isString())
        .isTrue();
    assertThat(userOfKind(users, "int _id").get("_id").isInt32()).isTrue();
    assertThat(userOfKind(users, "nulls among ids").toJson())
        .contains("\"achievements\": [null, \"first_login\", null]");
    assertThat(Eligibility.isEligible(userOfKind(users, "already migrated"))).isFalse();
    assertThat(Eligibility.isEligible(userOfKind(users, "achievements_v2 null"))).isTrue();
  }

  private static BsonDocument userOfKind(List<BsonDocument> users, String name) {
    for (int i = 0; i < users.size(); i++) {
      if (SampleUsers.kindOf(i) != null && SampleUsers.kindOf(i).name().equals(name)) {
        return users.get(i);
      }
    }
    throw new AssertionError("no user of kind " + name);
  }
}
