package app.achievements.migration;

import static org.assertj.core.api.Assertions.assertThat;

import org.bson.BsonDocument;
import org.junit.jupiter.api.Test;

class VerificationTest {

  private static Verification.Check check(String json) {
    return Verification.check(BsonDocument.parse(json));
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
  void runStartFallbackAcceptsAnySingleInstant() {
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
