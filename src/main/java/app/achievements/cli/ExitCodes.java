package app.achievements.cli;

import app.achievements.run.RunInterruptedException;
import app.achievements.run.TimeLimitException;
import app.achievements.store.LockHeldException;
import app.achievements.store.RunStatus;

/** The exit codes of every command, in one place; listed in {@code --help} and the README. */
final class ExitCodes {

  static final int OK = 0;
  static final int FATAL = 1;
  static final int USAGE = 2;
  static final int INCOMPLETE = 3;
  static final int ABORTED = 4;

  /** Another run holds the lock, or this run lost it. */
  static final int LOCKED = 5;

  /** Stopped at its time limit ({@code --stop-after}): summary printed; run again to continue. */
  static final int STOPPED = 6;

  /** Interrupted (Ctrl-C, SIGTERM, SIGHUP): no write after that, summary printed. */
  static final int INTERRUPTED = 130;

  /** The lines of {@code --help}'s exit code list. */
  static final String[] HELP = {
    "0:done: every eligible user migrated (dry run: would be)",
    "1:fatal error: cannot connect, authentication, unexpected",
    "2:usage error: bad option or value",
    "3:done, but some eligible users were not migrated: rejected, conflicting or failed (dry run: would"
        + " not be)",
    "4:aborted or refused at the confirmation prompt; nothing was written",
    "5:another run holds the lock on the collection, or this run lost it: no write after that",
    "6:stopped at the time limit (--stop-after): no write after that; run again to continue",
    "130:interrupted by Ctrl-C, SIGTERM or SIGHUP: no write after that; run again to finish",
  };

  private ExitCodes() {}

  /** The exit code of a run that ended with {@code status}; {@code complete}: nothing left. */
  static int of(RunStatus status, boolean complete, Throwable failure) {
    return switch (status) {
      case COMPLETED -> complete ? OK : INCOMPLETE;
      case ABORTED -> ABORTED;
      case INTERRUPTED -> INTERRUPTED;
      case LOCK_LOST -> LOCKED;
      case STOPPED -> STOPPED;
      case FAILED -> of(failure);
    };
  }

  /** The exit code of an error that ended a command. */
  static int of(Throwable e) {
    if (e instanceof LockHeldException) {
      return LOCKED;
    }
    if (e instanceof TimeLimitException) {
      return STOPPED;
    }
    return e instanceof RunInterruptedException ? INTERRUPTED : FATAL;
  }
}
