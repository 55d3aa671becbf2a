package app.achievements.run;

import app.achievements.rules.ConversionResult;
import org.bson.BsonDocument;
import org.bson.RawBsonDocument;

/**
 * How one run behaves.
 *
 * @param dryRun read and convert everything, write nothing
 * @param batchSize users per bulk write (and per page read, at most {@link #READ_PAGES} times that)
 * @param assumeYes skip the confirmation prompt
 * @param examples how many before → after examples a dry run shows
 * @param writers how many bulk writes may be under way at once
 * @param buffer the most memory the users read and not yet written may take, in bytes: each page
 *     read is cut short to its share ({@link #pageBytes})
 */
public record MigrationOptions(
    boolean dryRun, int batchSize, boolean assumeYes, int examples, int writers, long buffer) {

  public static final int MIN_BATCH_SIZE = 1;
  public static final int MAX_BATCH_SIZE = 100_000;
  public static final int DEFAULT_BATCH_SIZE = 1000;
  public static final int MIN_WRITERS = 1;
  public static final int MAX_WRITERS = 16;
  public static final int DEFAULT_WRITERS = 2;
  public static final long DEFAULT_BUFFER = 32L * 1024 * 1024;
  public static final long MIN_BUFFER = 1024 * 1024;

  /**
   * How many batches a page read holds at most: a server far away answers a page per round trip, so
   * a page several batches long keeps the reading ahead of the writers at any distance.
   */
  public static final int READ_PAGES = 4;

  /**
   * How much memory a user takes per byte of its BSON while it is in flight: as read, its ids as
   * decoded strings, and as encoded into its bulk write (the new array's entries count apart).
   */
  static final int BYTES_IN_MEMORY_PER_BYTE_READ = 4;

  /**
   * How much memory one entry of a new array takes as converted, a tree of objects until it is
   * written (a document, its map and two entries, the id's string), whatever its size in BSON: an
   * array of many small ids weighs far more converted than read.
   */
  static final int BYTES_PER_CONVERTED_ENTRY = 320;

  public MigrationOptions {
    if (batchSize < MIN_BATCH_SIZE || batchSize > MAX_BATCH_SIZE) {
      throw new IllegalArgumentException(
          "batch size must be " + MIN_BATCH_SIZE + " to " + MAX_BATCH_SIZE + ": " + batchSize);
    }
    if (examples < 0) {
      throw new IllegalArgumentException("examples < 0");
    }
    if (writers < MIN_WRITERS || writers > MAX_WRITERS) {
      throw new IllegalArgumentException(
          "writers must be " + MIN_WRITERS + " to " + MAX_WRITERS + ": " + writers);
    }
    if (buffer < MIN_BUFFER) {
      throw new IllegalArgumentException("buffer must be " + MIN_BUFFER + " bytes or more");
    }
  }

  /** The defaults of the command line: a real run that asks first. */
  public static MigrationOptions defaults() {
    return new MigrationOptions(
        false, DEFAULT_BATCH_SIZE, false, 3, DEFAULT_WRITERS, DEFAULT_BUFFER);
  }

  /**
   * What an eligible user and its conversion weigh in memory until its page is done: its BSON as
   * read and encoded, and its new array's entries as converted.
   */
  static long weight(BsonDocument user, ConversionResult result) {
    long read =
        user instanceof RawBsonDocument raw
            ? (long) BYTES_IN_MEMORY_PER_BYTE_READ * raw.getByteBuffer().remaining()
            : 0;
    return result instanceof ConversionResult.Migrate migrate
        ? read + (long) BYTES_PER_CONVERTED_ENTRY * migrate.ids().size()
        : read;
  }

  /**
   * The most BSON one page read may hold: the buffer shared by every page that can be in flight at
   * once (the reader's, those queued for the writers, one in each writer's hands), each user
   * counted {@value #BYTES_IN_MEMORY_PER_BYTE_READ} times over. A page holds one user at least,
   * however large.
   */
  public long pageBytes() {
    int pages = PageReader.AHEAD + 1 + writers;
    return Math.max(1, buffer / ((long) BYTES_IN_MEMORY_PER_BYTE_READ * pages));
  }

  /** What a page of {@link #pageBytes} weighs in memory, its new arrays not counted. */
  long pageWeight() {
    return BYTES_IN_MEMORY_PER_BYTE_READ * pageBytes();
  }

  public MigrationOptions withDryRun(boolean dryRun) {
    return new MigrationOptions(dryRun, batchSize, assumeYes, examples, writers, buffer);
  }

  public MigrationOptions withBatchSize(int batchSize) {
    return new MigrationOptions(dryRun, batchSize, assumeYes, examples, writers, buffer);
  }

  public MigrationOptions withAssumeYes(boolean assumeYes) {
    return new MigrationOptions(dryRun, batchSize, assumeYes, examples, writers, buffer);
  }

  public MigrationOptions withExamples(int examples) {
    return new MigrationOptions(dryRun, batchSize, assumeYes, examples, writers, buffer);
  }

  public MigrationOptions withWriters(int writers) {
    return new MigrationOptions(dryRun, batchSize, assumeYes, examples, writers, buffer);
  }

  public MigrationOptions withBuffer(long buffer) {
    return new MigrationOptions(dryRun, batchSize, assumeYes, examples, writers, buffer);
  }
}
