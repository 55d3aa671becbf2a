package app.achievements.run;

import java.util.Locale;

/** What became of one eligible user in a migration (for a dry run: would become). */
public enum Outcome {
  MIGRATED("Migrated"),
  REJECTED("Rejected"),
  CONFLICT("Conflicts"),
  FAILED("Failed"),
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
