package app.achievements.cli;

import app.achievements.run.ReportRow;
import app.achievements.run.ReportSink;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * {@code --report FILE}: JSON Lines, one {@link ReportRow} a line; never overwrites by accident.
 * The file is created only when the run opens it, after the confirmation: a declined prompt leaves
 * every file as it was. Rows are gathered and written whole lines at a time, so that a process that
 * is halted (a second Ctrl-C) leaves a file of complete lines.
 */
final class ReportFile implements ReportSink, AutoCloseable {

  /** How much is gathered before it is written. */
  static final int CHUNK = 8 * 1024;

  private final Path path;
  private final boolean force;
  private final StringBuilder pending = new StringBuilder();
  private OutputStream file;

  /** A report to {@code path}, which {@link #problem} found nothing wrong with. */
  ReportFile(Path path, boolean force) {
    this.path = path;
    this.force = force;
  }

  /**
   * What is wrong with writing a report to {@code path}, for a usage error before anything starts,
   * or null: a directory, a missing parent directory, or an existing file without {@code force}.
   */
  static String problem(Path path, boolean force) {
    if (Files.isDirectory(path)) {
      return "--report " + path + " is a directory: name a file";
    }
    Path parent = path.toAbsolutePath().getParent();
    if (parent != null && !Files.isDirectory(parent)) {
      return "--report " + path + ": no such directory " + parent;
    }
    if (Files.exists(path) && !force) {
      return "--report " + path + " exists: use --force to replace it";
    }
    if (Files.exists(path) ? !Files.isWritable(path) : !canCreateIn(parent)) {
      return "--report " + path + ": cannot write there";
    }
    return null;
  }

  /** Whether a file can be created in {@code directory}: tried, then removed. */
  private static boolean canCreateIn(Path directory) {
    try {
      Path probe =
          Files.createTempFile(directory == null ? Path.of(".") : directory, ".report-", ".probe");
      Files.delete(probe);
      return true;
    } catch (IOException | UnsupportedOperationException e) {
      return false;
    }
  }

  /**
   * Creates the file now, readable by its owner only (it names users); an existing one is replaced
   * only with {@code force}, and restricted likewise.
   */
  @Override
  public synchronized void open() {
    if (file != null) {
      return;
    }
    try {
      if (force) {
        OwnerOnly.create(path);
        if (Files.isRegularFile(path)) {
          OwnerOnly.restrict(path); // not a device such as /dev/stdout
        }
      } else {
        OwnerOnly.createNew(path); // fails if the file appeared since it was checked
      }
      file =
          Files.newOutputStream(
              path, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create --report " + path + ": " + e, e);
    }
  }

  @Override
  public synchronized void add(ReportRow row) {
    if (file == null) {
      throw new IllegalStateException("the report is not open");
    }
    pending.append(row.toJson()).append('\n');
    if (pending.length() >= CHUNK) {
      try {
        flush();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write the report: " + e.getMessage(), e);
      }
    }
  }

  /** Writes the lines gathered so far, in one write. */
  private void flush() throws IOException {
    file.write(pending.toString().getBytes(StandardCharsets.UTF_8));
    file.flush();
    pending.setLength(0);
  }

  /** Writes what is left and closes the file, if it was opened. */
  @Override
  public synchronized void close() throws IOException {
    if (file != null) {
      try {
        flush();
      } finally {
        file.close();
        file = null;
      }
    }
  }
}
