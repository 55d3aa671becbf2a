package app.achievements.run;

import app.achievements.rules.Note;
import app.achievements.rules.RejectReason;
import app.achievements.store.RunStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What one run did (or, for a dry run, would do).
 *
 * @param status how the run ended
 * @param dryRun whether writes were switched off
 * @param eligible users found eligible when read
 * @param migrated users given {@code achievements_v2}
 * @param rejectedByReason users that cannot be converted, by reason
 * @param conflicts users the application kept changing between read and write
 * @param failed users whose write the server refused
 * @param skipped users that were no longer eligible when re-read after a conflict
 * @param unfinished users read and converted but not known written when the run stopped (their page
 *     was not sent, or its outcome is unknown): each is untouched or fully migrated, and the next
 *     run takes those that are not
 * @param notes migrated users per note
 * @param runStart the run's start instant, the last fallback for {@code unlockedAt}
 * @param duration how long reading, converting and writing took
 * @param problems users that were not migrated, for the operator: the first {@value
 *     Tally#MAX_REJECTED_SHOWN} rejected, and up to {@value Tally#MAX_FAILED_SHOWN} each failed and
 *     conflicting
 * @param failure what stopped a run that did not complete (the stop itself for an interrupted run
 *     or a lost lock), else null
 */
public record MigrationResult(
    RunStatus status,
    boolean dryRun,
    long eligible,
    long migrated,
    Map<RejectReason, Long> rejectedByReason,
    long conflicts,
    long failed,
    long skipped,
    long unfinished,
    Map<Note, Long> notes,
    Instant runStart,
    Duration duration,
    List<Problem> problems,
    RuntimeException failure)
    implements RunResult {

  /** One user that was not migrated, and why. */
  public record Problem(String id, Outcome outcome, String detail) {}

  public MigrationResult {
    Objects.requireNonNull(status, "status");
    rejectedByReason = ordered(RejectReason.class, rejectedByReason);
    notes = ordered(Note.class, notes);
    Objects.requireNonNull(runStart, "runStart");
    Objects.requireNonNull(duration, "duration");
    problems = List.copyOf(problems);
    long rejected = rejectedByReason.values().stream().mapToLong(Long::longValue).sum();
    if (eligible != migrated + rejected + conflicts + failed + skipped + unfinished) {
      throw new IllegalArgumentException(
          "every eligible user needs exactly one outcome: eligible "
              + eligible
              + ", migrated "
              + migrated
              + ", rejected "
              + rejected
              + ", conflicts "
              + conflicts
              + ", failed "
              + failed
              + ", skipped "
              + skipped
              + ", unfinished "
              + unfinished);
    }
    if (status == RunStatus.COMPLETED && unfinished != 0) {
      throw new IllegalArgumentException("a completed run has no unfinished user");
    }
    if ((failure == null) != (status == RunStatus.COMPLETED || status == RunStatus.ABORTED)) {
      throw new IllegalArgumentException("a failure goes with a run that stopped, and only then");
    }
  }

  private static <K extends Enum<K>> Map<K, Long> ordered(Class<K> type, Map<K, Long> counts) {
    Map<K, Long> copy = new EnumMap<>(type);
    copy.putAll(counts);
    return Collections.unmodifiableMap(copy);
  }

  /**
   * A run that wrote nothing: {@link RunStatus#COMPLETED} when it found nobody to migrate, {@link
   * RunStatus#ABORTED} when the operator declined to migrate the {@code eligible} users counted,
   * which are then all unfinished.
   */
  static MigrationResult unconfirmed(RunStatus status, long eligible, Instant runStart) {
    return new MigrationResult(
        status,
        false,
        eligible,
        0,
        Map.of(),
        0,
        0,
        0,
        eligible, // counted, not written: the next run takes them
        Map.of(),
        runStart,
        Duration.ZERO,
        List.of(),
        null);
  }

  @Override
  public Map<String, Long> counts() {
    Map<String, Long> counts = new LinkedHashMap<>();
    counts.put("eligible", eligible);
    counts.put("migrated", migrated);
    counts.put("rejected", rejected());
    counts.put("conflicts", conflicts);
    counts.put("failed", failed);
    counts.put("skipped", skipped);
    counts.put("unfinished", unfinished);
    return counts;
  }

  /** How many users had {@code outcome}. */
  public long count(Outcome outcome) {
    return switch (outcome) {
      case MIGRATED -> migrated;
      case UNFINISHED -> unfinished;
      case FAILED -> failed;
      case CONFLICT -> conflicts;
      case REJECTED -> rejected();
    };
  }

  public long rejected() {
    return rejectedByReason.values().stream().mapToLong(Long::longValue).sum();
  }

  /** Whether every eligible user was migrated (for a dry run: would be). */
  @Override
  public boolean complete() {
    return status == RunStatus.COMPLETED && rejected() + conflicts + failed == 0;
  }

  /** Eligible users processed per second, or -1 when no time was measured. */
  public long usersPerSecond() {
    long millis = duration.toMillis();
    return millis == 0 ? -1 : eligible * 1000 / millis;
  }
}
