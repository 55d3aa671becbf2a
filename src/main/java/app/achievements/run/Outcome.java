package app.achievements.run;

import java.util.Locale;

/** What became of one eligible user (for a dry run: would become). */
public enum Outcome {
  MIGRATED("Migrated"),
  REJECTED("Rejected"),
  CONFLICT("Conflicts"),
  FAILED("Failed"),
  /** Rollback: the user's achievements_v2 is not the migration's, so it stays. */
  KEPT("Kept"),
  /**
   * Read, but not known written when the run stopped: untouched or fully written, the next run
   * takes it if it is not.
   */
  UNFINISHED("Unfinished");

  private final String heading;

  Outcome(String heading) {
    this.heading = heading;
  }

  /** The name in reports and JSON: {@code migrated}, {@code rejected}, … */
  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The heading of this outcome's list in the summary. */
  String heading() {
    return heading;
  }
}
