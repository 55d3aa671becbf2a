package app.achievements.rules;

import java.util.Locale;

/** What verify finds in one user; the codes are part of the output and stay stable. */
public enum Finding {
  /** {@code achievements_v2} is exactly what the migration derives: all is well. */
  MIGRATED,
  /** {@code achievements_v2} is there but is not what the migration derives now. */
  MISMATCH,
  /** Eligible and convertible, but not migrated. */
  STILL_ELIGIBLE,
  /** Eligible but not convertible: reported, not a failure of verify. */
  REJECTED,
  /** {@code achievements_v2} without legacy {@code achievements}: not the migration's doing. */
  V2_WITHOUT_LEGACY,
  /** Neither migrated nor eligible: nothing to check. */
  NOT_APPLICABLE;

  /** The code in reports and JSON: {@code mismatch}, {@code still_eligible}, … */
  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }
}
