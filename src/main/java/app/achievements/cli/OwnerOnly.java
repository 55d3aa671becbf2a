package app.achievements.cli;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;

/**
 * Files that hold users' data or secrets: the report names users ({@code _id}, {@code username}),
 * the log may too, and a {@code --uri-file} holds a password. The files the tool creates are
 * readable by their owner only, and a connection string that others can read draws a warning, as
 * ssh does for a private key.
 */
final class OwnerOnly {

  static final Set<PosixFilePermission> READ_WRITE = PosixFilePermissions.fromString("rw-------");

  private OwnerOnly() {}

  /**
   * Creates {@code path} readable and writable by its owner only, if it does not exist; an existing
   * file is left as it is. On a file system without POSIX permissions, a plain create.
   */
  static void create(Path path) throws IOException {
    try {
      Files.createFile(path, PosixFilePermissions.asFileAttribute(READ_WRITE));
    } catch (FileAlreadyExistsException exists) {
      // left as it is
    } catch (UnsupportedOperationException noPosix) {
      try {
        Files.createFile(path);
      } catch (FileAlreadyExistsException exists) {
        // left as it is
      }
    }
  }

  /** As {@link #create}, but fails if {@code path} exists. */
  static void createNew(Path path) throws IOException {
    try {
      Files.createFile(path, PosixFilePermissions.asFileAttribute(READ_WRITE));
    } catch (UnsupportedOperationException noPosix) {
      Files.createFile(path);
    }
  }

  /** Makes {@code path} readable and writable by its owner only, where permissions exist. */
  static void restrict(Path path) throws IOException {
    try {
      Files.setPosixFilePermissions(path, READ_WRITE);
    } catch (UnsupportedOperationException noPosix) {
      // nothing to restrict
    }
  }

  /**
   * A warning when users other than its owner may read {@code path}, e.g. {@code "warning:
   * --uri-file x is readable by others (rw-r--r--): chmod 600 x"}; empty where that cannot be told.
   */
  static Optional<String> readableByOthers(String option, Path path) {
    try {
      Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(path);
      if (permissions.contains(PosixFilePermission.GROUP_READ)
          || permissions.contains(PosixFilePermission.OTHERS_READ)) {
        return Optional.of(
            "warning: "
                + option
                + " "
                + path
                + " is readable by other users ("
                + PosixFilePermissions.toString(permissions)
                + "): chmod 600 "
                + path);
      }
    } catch (IOException | UnsupportedOperationException cannotTell) {
      // no warning
    }
    return Optional.empty();
  }
}
