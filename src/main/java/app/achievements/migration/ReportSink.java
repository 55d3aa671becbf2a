package app.achievements.migration;

/** Where the runner sends the {@link ReportRow}s of a run (for a dry run: of what would happen). */
@FunctionalInterface
public interface ReportSink {

  /** Discards every row. */
  ReportSink NONE = row -> {};

  void add(ReportRow row);
}
