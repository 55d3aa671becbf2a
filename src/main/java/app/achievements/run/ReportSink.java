package app.achievements.run;

/** Where the runner sends the {@link ReportRow}s of a run (for a dry run: of what would happen). */
@FunctionalInterface
public interface ReportSink {

  /** Discards every row; {@link #keeps} says so, and no row is built for it. */
  ReportSink NONE =
      new ReportSink() {
        @Override
        public void add(ReportRow row) {}

        @Override
        public boolean keeps() {
          return false;
        }
      };

  /**
   * Called once the run may write (after the confirmation): a file is created only then, so that a
   * declined prompt leaves every file as it was.
   */
  default void open() {}

  void add(ReportRow row);

  /**
   * Whether a row added is kept: false for {@link #NONE}, so that a run without a report builds no
   * row for each migrated user.
   */
  default boolean keeps() {
    return true;
  }
}
