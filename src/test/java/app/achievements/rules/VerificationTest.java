package app.achievements.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.bson.BsonDocument;
import org.junit.jupiter.api.Test;

class VerificationTest {

  /** The start of the one real run recorded in these tests. */
  private static final Instant RUN_START = Instant.parse("2030-01-01T00:00:00Z");

  private static Verification.Check check(String json) {
    return Verification.check(BsonDocument.parse(json), Set.of(RUN_START));
  }

  private static Verification.Check finding(Finding finding, String reason) {
    return new Verification.Check(finding, reason);
  }

  private static final String D = "{$date: '2021-01-01T00:00:00Z'}";

  @Test
  void migratedAsDerived() {
    assertThat(
            check(
                "{_id: 1, createdAt: "
                    + D
                    + ", achievements: ['a', null, 7], achievements_v2: [{achievementId: 'a', unlockedAt: "
                    + D
                    + "}, {achievementId: '7', unlockedAt: "
                    + D
                    + "}]}"))
        .isEqualTo(finding(Finding.MIGRATED, null));
  }

  @Test
  void runStartFallbackAcceptsTheStartOfARecordedRunOnly() {
    String v2 =
        "[{achievementId: 'a', unlockedAt: {$date: '2030-01-01T00:00:00Z'}}, {achievementId: 'b', unlockedAt: {$date: '2030-01-01T00:00:00Z'}}]";
    assertThat(
            check(
                "{_id: 1, createdAt: 'n/a', achievements: ['a', 'b'], achievements_v2: "
                    + v2
                    + "}"))
        .isEqualTo(finding(Finding.MIGRATED, null));
    String two =
        "[{achievementId: 'a', unlockedAt: {$date: '2030-01-01T00:00:00Z'}}, {achievementId: 'b', unlockedAt: {$date: '2031-01-01T00:00:00Z'}}]";
    assertThat(
            check(
                "{_id: 1, createdAt: 'n/a', achievements: ['a', 'b'], achievements_v2: "
                    + two
                    + "}"))
        .isEqualTo(finding(Finding.MISMATCH, "UNLOCKED_AT_DIFFERS"));
    String unrecorded =
        "[{achievementId: 'a', unlockedAt: {$date: '2031-01-01T00:00:00Z'}}, {achievementId: 'b', unlockedAt: {$date: '2031-01-01T00:00:00Z'}}]";
    assertThat(
            check(
                "{_id: 1, createdAt: 'n/a', achievements: ['a', 'b'], achievements_v2: "
                    + unrecorded
                    + "}"))
        .isEqualTo(finding(Finding.MISMATCH, "UNLOCKED_AT_NOT_A_RUN_START"));
  }

  /** The two users of the issue: v2 the application wrote, in a database no migration ran on. */
  @Test
  void aV2TheApplicationWroteWhereNoRunRecordedItsStartIsNotTheMigrations() {
    BsonDocument noCreatedAt =
        BsonDocument.parse(
            "{_id: 'user-42', achievements: ['first_login', 'streak_7'], achievements_v2:"
                + " [{achievementId: 'first_login', unlockedAt: {$date: '2019-05-01T08:00:00Z'}},"
                + " {achievementId: 'streak_7', unlockedAt: {$date: '2019-05-01T08:00:00Z'}}]}");
    BsonDocument invalidCreatedAt =
        BsonDocument.parse(
            "{_id: 1001, createdAt: 'not a date', achievements: ['level_10'], achievements_v2:"
                + " [{achievementId: 'level_10', unlockedAt: {$date: '2023-03-03T03:03:03Z'}}]}");
    for (BsonDocument user : List.of(noCreatedAt, invalidCreatedAt)) {
      assertThat(Verification.check(user, Set.of()))
          .as(user.toJson())
          .isEqualTo(finding(Finding.MISMATCH, "UNLOCKED_AT_NOT_A_RUN_START"));
      assertThat(Verification.check(user, Set.of(RUN_START)).finding()).isEqualTo(Finding.MISMATCH);
    }
    assertThat(Verification.check(invalidCreatedAt, Set.of(Instant.parse("2023-03-03T03:03:03Z"))))
        .isEqualTo(finding(Finding.MIGRATED, null));
  }

  /** What the migration writes is one exact shape: the same values in another form are not it. */
  @Test
  void onlyTheExactBytesTheMigrationWritesAreMigrated() {
    assertThat(
            check(
                "{_id: 1, createdAt: "
                    + D
                    + ", achievements: ['a'], achievements_v2: [{unlockedAt: "
                    + D
                    + ", achievementId: 'a'}]}"))
        .isEqualTo(finding(Finding.MISMATCH, "UNLOCKED_AT_DIFFERS"));
    assertThat(
            check(
                "{_id: 1, createdAt: "
                    + D
                    + ", achievements: ['a'], achievements_v2: [{achievementId: 'a', unlockedAt:"
                    + " '2021-01-01T00:00:00Z'}]}"))
        .isEqualTo(finding(Finding.MISMATCH, "UNLOCKED_AT_DIFFERS"));
    assertThat(
            check(
                "{_id: 1, createdAt: 'n/a', achievements: ['a'], achievements_v2: [{unlockedAt:"
                    + " {$date: '2030-01-01T00:00:00Z'}, achievementId: 'a'}]}"))
        .isEqualTo(finding(Finding.MISMATCH, "UNLOCKED_AT_DIFFERS"));
  }

  @Test
  void objectIdFallbackIsExact() {
    String v2 = "[{achievementId: 'a', unlockedAt: {$date: '2030-01-01T00:00:00Z'}}]";
    assertThat(
            check(
                "{_id: {$oid: '65a1b2c3d4e5f60718293a4c'}, achievements: ['a'], achievements_v2: "
                    + v2
                    + "}"))
        .isEqualTo(finding(Finding.MISMATCH, "UNLOCKED_AT_DIFFERS"));
  }

  @Test
  void mismatches() {
    assertThat(
            check(
                "{_id: 1, createdAt: "
                    + D
                    + ", achievements: ['a', 'b'], achievements_v2: [{achievementId: 'a', unlockedAt: "
                    + D
                    + "}]}"))
        .isEqualTo(finding(Finding.MISMATCH, "IDS_DIFFER"));
    assertThat(
            check(
                "{_id: 1, createdAt: "
                    + D
                    + ", achievements: ['b', 'a'], achievements_v2: [{achievementId: 'a', unlockedAt: "
                    + D
                    + "}, {achievementId: 'b', unlockedAt: "
                    + D
                    + "}]}"))
        .isEqualTo(finding(Finding.MISMATCH, "IDS_DIFFER"));
    assertThat(
            check(
                "{_id: 1, createdAt: {$date: 0}, achievements: ['a'], achievements_v2: [{achievementId: 'a', unlockedAt: "
                    + D
                    + "}]}"))
        .isEqualTo(finding(Finding.MISMATCH, "UNLOCKED_AT_DIFFERS"));
    assertThat(
            check(
                "{_id: 1, createdAt: "
                    + D
                    + ", achievements: ['a'], achievements_v2: [{achievementId: 'a', unlockedAt: "
                    + D
                    + ", extra: 1}]}"))
        .isEqualTo(finding(Finding.MISMATCH, "UNLOCKED_AT_DIFFERS"));
    assertThat(
            check(
                "{_id: 1, createdAt: "
                    + D
                    + ", achievements: [true], achievements_v2: [{achievementId: 'a', unlockedAt: "
                    + D
                    + "}]}"))
        .isEqualTo(finding(Finding.MISMATCH, "ACHIEVEMENTS_NOW_UNSUPPORTED_ELEMENT"));
    assertThat(check("{_id: 1, achievements: ['a'], achievements_v2: 'x'}"))
        .isEqualTo(finding(Finding.MISMATCH, "V2_NOT_AN_ARRAY"));
    assertThat(check("{_id: 1, achievements: ['a'], achievements_v2: [null]}"))
        .isEqualTo(finding(Finding.MISMATCH, "IDS_DIFFER"));
  }

  @Test
  void notMigratedYet() {
    assertThat(check("{_id: 1, achievements: ['a']}"))
        .isEqualTo(finding(Finding.STILL_ELIGIBLE, null));
    assertThat(check("{_id: 1, achievements: ['a'], achievements_v2: []}"))
        .isEqualTo(finding(Finding.STILL_ELIGIBLE, null));
    assertThat(check("{_id: 1, achievements: [1.5]}"))
        .isEqualTo(finding(Finding.REJECTED, "NON_INTEGRAL_NUMBER"));
    assertThat(check("{_id: 1, achievements: []}"))
        .isEqualTo(finding(Finding.NOT_APPLICABLE, null));
    assertThat(check("{_id: 1}")).isEqualTo(finding(Finding.NOT_APPLICABLE, null));
    assertThat(check("{_id: 1, achievements_v2: [{achievementId: 'x', unlockedAt: " + D + "}]}"))
        .isEqualTo(finding(Finding.V2_WITHOUT_LEGACY, null));
  }
}
