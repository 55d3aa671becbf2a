package app.achievements.run;

/** Where the runner sends the {@link ReportRow}s of a run (for a dry run: of what would happen). */
@FunctionalInterface
public interface ReportSink {

  /** Discards every row. */
  ReportSink NONE = row -> {};

  /**
   * Called once the run may write (after the confirmation): a file is created only then, so that a
   * declined prompt leaves every file as it was.
   */
  default void open() {}

  void add(ReportRow row);
}
