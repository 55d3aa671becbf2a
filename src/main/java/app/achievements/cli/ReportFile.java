package app.achievements.cli;

import app.achievements.migration.ReportRow;
import app.achievements.migration.ReportSink;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * {@code --report FILE}: JSON Lines, one {@link ReportRow} a line; never overwrites by accident.
 */
final class ReportFile implements ReportSink, AutoCloseable {

  private final BufferedWriter writer;

  private ReportFile(BufferedWriter writer) {
    this.writer = writer;
  }

  /**
   * Creates {@code path}; an existing file is replaced only with {@code force}.
   *
   * @throws FileAlreadyExistsException when the file exists and {@code force} is off
   */
  static ReportFile create(Path path, boolean force) throws IOException {
    StandardOpenOption create = force ? StandardOpenOption.CREATE : StandardOpenOption.CREATE_NEW;
    return new ReportFile(
        Files.newBufferedWriter(
            path,
            StandardCharsets.UTF_8,
            create,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE));
  }

  @Override
  public synchronized void add(ReportRow row) {
    try {
      writer.write(row.toJson());
      writer.newLine();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the report: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() throws IOException {
    writer.close();
  }
}
