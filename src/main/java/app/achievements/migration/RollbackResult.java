package app.achievements.migration;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What one rollback did (or, for a dry run, would do).
 *
 * @param status how the run ended
 * @param dryRun whether writes were switched off
 * @param migrated users whose {@code achievements_v2} is exactly the migration's: to roll back
 * @param rolledBack users whose {@code achievements_v2} was removed
 * @param kept users whose {@code achievements_v2} is not the migration's (changed since): kept
 * @param conflicts users changed between read and write: kept
 * @param failed users whose write the server refused
 * @param duration how long it took
 * @param problems the first users kept, conflicting or failed, for the operator
 */
public record RollbackResult(
    MigrationResult.Status status,
    boolean dryRun,
    long migrated,
    long rolledBack,
    long kept,
    long conflicts,
    long failed,
    Duration duration,
    List<MigrationResult.Problem> problems) {

  public RollbackResult {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(duration, "duration");
    problems = List.copyOf(problems);
  }

  /** Whether every user with a v2 from the migration lost it, and no other user had one. */
  public boolean complete() {
    return status == MigrationResult.Status.COMPLETED && kept + conflicts + failed == 0;
  }
}
