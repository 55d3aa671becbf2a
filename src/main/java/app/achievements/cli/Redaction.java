package app.achievements.cli;

import java.util.regex.Pattern;

/**
 * Connection strings as they may be shown: with the password replaced. The driver's {@code
 * ConnectionString.toString()} returns the raw URI, password included.
 */
final class Redaction {

  private static final Pattern USER_INFO =
      Pattern.compile("(mongodb(?:\\+srv)?://[^:@/?#]*):[^@/?#]*@", Pattern.CASE_INSENSITIVE);

  private Redaction() {}

  /** {@code text} with the password of any MongoDB URI in it replaced by {@code ***}. */
  static String redact(String text) {
    return text == null ? null : USER_INFO.matcher(text).replaceAll("$1:***@");
  }
}
