package app.achievements.cli;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sizes as operators type them, as java's -Xmx takes them: {@code 64m}, {@code 1g}, {@code 512k}.
 */
final class Sizes {

  private static final Pattern SIZE = Pattern.compile("(\\d{1,12})([kmg]?)b?");

  private Sizes() {}

  /** {@code text} in bytes; -1 when it is no size. */
  static long parse(String text) {
    Matcher size = SIZE.matcher(text.strip().toLowerCase(Locale.ROOT));
    if (!size.matches()) {
      return -1;
    }
    long value = Long.parseLong(size.group(1));
    long unit =
        switch (size.group(2)) {
          case "k" -> 1L << 10;
          case "m" -> 1L << 20;
          case "g" -> 1L << 30;
          default -> 1;
        };
    try {
      return Math.multiplyExact(value, unit);
    } catch (ArithmeticException tooLarge) {
      return -1;
    }
  }
}
