package app.achievements.run;

import app.achievements.store.RunStatus;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What one rollback did (or, for a dry run, would do). Every user read whose {@code
 * achievements_v2} is the migration's has one outcome: rolled back, conflict, failed, or
 * unfinished.
 *
 * @param status how the run ended
 * @param dryRun whether writes were switched off
 * @param migrated users whose {@code achievements_v2} is exactly the migration's: to roll back
 * @param rolledBack users whose {@code achievements_v2} was removed
 * @param kept users whose {@code achievements_v2} is not the migration's (changed since): kept
 * @param conflicts users changed between read and write: kept
 * @param failed users whose write the server refused
 * @param unfinished users to roll back whose removal was not known done when the run stopped
 * @param duration how long it took
 * @param problems the first {@value RollbackRunner#MAX_SHOWN} users kept, conflicting or failed,
 *     for the operator
 * @param failure what stopped a run that did not complete, else null
 */
public record RollbackResult(
    RunStatus status,
    boolean dryRun,
    long migrated,
    long rolledBack,
    long kept,
    long conflicts,
    long failed,
    long unfinished,
    Duration duration,
    List<Problem> problems,
    RuntimeException failure)
    implements RunResult {

  /** One user that keeps its {@code achievements_v2}, and why. */
  public record Problem(String id, RollbackOutcome outcome, String detail) {}

  public RollbackResult {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(duration, "duration");
    problems = List.copyOf(problems);
    if (migrated != rolledBack + conflicts + failed + unfinished) {
      throw new IllegalArgumentException(
          "every user to roll back needs exactly one outcome: migrated "
              + migrated
              + ", rolled back "
              + rolledBack
              + ", conflicts "
              + conflicts
              + ", failed "
              + failed
              + ", unfinished "
              + unfinished);
    }
    if ((failure == null) != (status == RunStatus.COMPLETED || status == RunStatus.ABORTED)) {
      throw new IllegalArgumentException("a failure goes with a run that stopped, and only then");
    }
  }

  /** Whether every user with a v2 from the migration lost it, and no other user had one. */
  @Override
  public boolean complete() {
    return status == RunStatus.COMPLETED && kept + conflicts + failed == 0;
  }

  @Override
  public Map<String, Long> counts() {
    Map<String, Long> counts = new LinkedHashMap<>();
    counts.put("migrated", migrated);
    counts.put("rolledBack", rolledBack);
    counts.put("kept", kept);
    counts.put("conflicts", conflicts);
    counts.put("failed", failed);
    counts.put("unfinished", unfinished);
    return counts;
  }
}
