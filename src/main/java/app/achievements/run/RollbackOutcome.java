package app.achievements.run;

import java.util.Locale;

/**
 * What became of one user with {@code achievements_v2} in a rollback (for a dry run: would become).
 */
public enum RollbackOutcome {
  /** Its {@code achievements_v2} was exactly the migration's, and is removed. */
  ROLLED_BACK,
  /** Its {@code achievements_v2} is not the migration's (changed since, or never its): it stays. */
  KEPT,
  /** It changed between read and write: it keeps its {@code achievements_v2}. */
  CONFLICT,
  /** The server refused the removal. */
  FAILED,
  /** To roll back, but not known rolled back when the run stopped: the next rollback takes it. */
  UNFINISHED;

  /** The name in reports and JSON: {@code kept}, {@code conflict}, … */
  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }
}
