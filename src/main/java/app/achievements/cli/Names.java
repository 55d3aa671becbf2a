package app.achievements.cli;

import java.nio.charset.StandardCharsets;

/**
 * MongoDB's rules for database and collection names, checked before connecting: a name the server
 * would refuse is a usage error, not a failure halfway through a run.
 */
final class Names {

  /** mongod refuses database names of 64 bytes or more. */
  static final int MAX_DATABASE_BYTES = 63;

  /** mongod refuses namespaces ({@code database.collection}) longer than this. */
  static final int MAX_NAMESPACE_BYTES = 255;

  private static final String DATABASE_FORBIDDEN = "/\\. \"$*<>:|?";

  private Names() {}

  /** What is wrong with {@code name} as a database name, or null. */
  static String databaseProblem(String name) {
    if (name.isEmpty()) {
      return "the database name is empty";
    }
    for (char c : name.toCharArray()) {
      if (c == '\0' || DATABASE_FORBIDDEN.indexOf(c) >= 0) {
        return "invalid database name '"
            + name
            + "': it may not contain "
            + (c == '\0' ? "a NUL character" : "'" + c + "'")
            + " (nor any of / \\ . space \" $ * < > : | ?)";
      }
    }
    if (name.getBytes(StandardCharsets.UTF_8).length > MAX_DATABASE_BYTES) {
      return "invalid database name '" + name + "': longer than " + MAX_DATABASE_BYTES + " bytes";
    }
    return null;
  }

  /** What is wrong with {@code name} as the name of a collection of {@code database}, or null. */
  static String collectionProblem(String option, String name, String database) {
    if (name.isEmpty()) {
      return option + " is empty: name a collection";
    }
    if (name.indexOf('$') >= 0 || name.indexOf('\0') >= 0) {
      return "invalid " + option + " '" + name + "': it may not contain '$' or a NUL character";
    }
    if (name.startsWith(".")) {
      return "invalid " + option + " '" + name + "': it may not start with '.'";
    }
    if (name.startsWith("system.")) {
      return "invalid " + option + " '" + name + "': names starting with system. are MongoDB's";
    }
    if ((database + "." + name).getBytes(StandardCharsets.UTF_8).length > MAX_NAMESPACE_BYTES) {
      return "invalid "
          + option
          + " '"
          + name
          + "': "
          + database
          + "."
          + name
          + " is longer than "
          + MAX_NAMESPACE_BYTES
          + " bytes";
    }
    return null;
  }
}
