package app.achievements.cli;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as operators type them: {@code 90s}, {@code 30m}, {@code 2h}, {@code 1h30m}, {@code
 * 500ms}, a bare number of seconds ({@code 1.5}), or ISO-8601 ({@code PT2H}).
 */
final class Durations {

  private static final Pattern UNITS =
      Pattern.compile("(?:(\\d+)h)?(?:(\\d+)m(?!s))?(?:(\\d+(?:\\.\\d+)?)s)?(?:(\\d+)ms)?");
  private static final Pattern SECONDS = Pattern.compile("\\d+(?:\\.\\d+)?");

  private Durations() {}

  /** {@code text} as a duration; null when it is none of the forms above. */
  static Duration parse(String text) {
    String value = text.strip().toLowerCase(Locale.ROOT);
    if (value.isEmpty()) {
      return null;
    }
    if (SECONDS.matcher(value).matches()) {
      return millis(Double.parseDouble(value) * 1000);
    }
    if (value.startsWith("pt")) {
      try {
        return Duration.parse(value.toUpperCase(Locale.ROOT));
      } catch (RuntimeException e) {
        return null;
      }
    }
    Matcher units = UNITS.matcher(value);
    if (!units.matches()) {
      return null;
    }
    double millis = 0;
    millis += part(units.group(1)) * 3_600_000;
    millis += part(units.group(2)) * 60_000;
    millis += part(units.group(3)) * 1000;
    millis += part(units.group(4));
    return millis(millis);
  }

  /** {@code 1h30m}, {@code 45s}, {@code 1.5s}, {@code 250ms}: for messages. */
  static String format(Duration duration) {
    long millis = duration.toMillis();
    if (millis % 1000 != 0) {
      return millis < 1000 ? millis + "ms" : millis / 1000.0 + "s";
    }
    long seconds = millis / 1000;
    StringBuilder text = new StringBuilder();
    if (seconds >= 3600) {
      text.append(seconds / 3600).append('h');
    }
    if (seconds % 3600 >= 60) {
      text.append(seconds % 3600 / 60).append('m');
    }
    if (seconds % 60 != 0 || text.length() == 0) {
      text.append(seconds % 60).append('s');
    }
    return text.toString();
  }

  private static double part(String digits) {
    return digits == null ? 0 : Double.parseDouble(digits);
  }

  private static Duration millis(double millis) {
    return Double.isFinite(millis) && millis < 1e15 ? Duration.ofMillis(Math.round(millis)) : null;
  }
}
