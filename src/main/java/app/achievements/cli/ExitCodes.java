package app.achievements.cli;

import app.achievements.migration.MigrationResult;

/** The exit codes of every command, in one place; listed in {@code --help} and the README. */
final class ExitCodes {

  static final int OK = 0;
  static final int FATAL = 1;
  static final int USAGE = 2;
  static final int INCOMPLETE = 3;
  static final int ABORTED = 4;

  /** Another run holds the lock. */
  static final int LOCKED = 5;

  /** Interrupted (Ctrl-C, SIGTERM): stopped before a batch, summary printed. */
  static final int INTERRUPTED = 130;

  /** The lines of {@code --help}'s exit code list. */
  static final String[] HELP = {
    "0:done: every eligible user migrated (dry run: would be)",
    "1:fatal error: cannot connect, authentication, unexpected",
    "2:usage error: bad option or value",
    "3:done, but some eligible users were not migrated: rejected, conflicting or failed (dry run: would"
        + " not be)",
    "4:aborted or refused at the confirmation prompt; nothing was written",
    "5:another run holds the lock on the collection",
    "130:interrupted by Ctrl-C or SIGTERM: stopped before the next batch; run again to finish",
  };

  private ExitCodes() {}

  static int of(MigrationResult result) {
    return switch (result.status()) {
      case ABORTED -> ABORTED;
      case STOPPED -> FATAL;
      case COMPLETED -> result.complete() ? OK : INCOMPLETE;
    };
  }
}
