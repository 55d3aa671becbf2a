package app.achievements.rules;

/** White space as an operator means it: Unicode white space and space separators (no-break too). */
final class Text {

  private Text() {}

  static boolean isWhiteSpace(int codePoint) {
    return Character.isWhitespace(codePoint) || Character.isSpaceChar(codePoint);
  }

  static boolean isBlank(String s) {
    for (int i = 0; i < s.length(); ) {
      int codePoint = s.codePointAt(i);
      if (!isWhiteSpace(codePoint)) {
        return false;
      }
      i += Character.charCount(codePoint);
    }
    return true;
  }

  static String stripWhiteSpace(String s) {
    int start = 0;
    int end = s.length();
    while (start < end && isWhiteSpace(s.codePointAt(start))) {
      start += Character.charCount(s.codePointAt(start));
    }
    while (end > start && isWhiteSpace(s.codePointBefore(end))) {
      end -= Character.charCount(s.codePointBefore(end));
    }
    return s.substring(start, end);
  }
}
