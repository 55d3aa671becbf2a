package app.achievements.run;

import app.achievements.rules.Finding;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What verify found.
 *
 * @param read users read
 * @param findings users per finding
 * @param examples the first users of each offending finding, for the operator
 * @param duration how long it took
 */
public record VerifyResult(
    long read, Map<Finding, Long> findings, List<Example> examples, Duration duration) {

  /** One user verify points at. */
  public record Example(String id, Finding finding, String reason) {}

  public VerifyResult {
    Map<Finding, Long> copy = new EnumMap<>(Finding.class);
    copy.putAll(findings);
    findings = Collections.unmodifiableMap(copy);
    examples = List.copyOf(examples);
    Objects.requireNonNull(duration, "duration");
  }

  public long count(Finding finding) {
    return findings.getOrDefault(finding, 0L);
  }

  /** Whether every migrated user is as derived and no convertible eligible user remains. */
  public boolean holds() {
    return count(Finding.MISMATCH) == 0 && count(Finding.STILL_ELIGIBLE) == 0;
  }
}
