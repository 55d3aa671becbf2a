package app.achievements.run;

/**
 * The run's report, where a failure to write a row (a full disk) stops the run instead of breaking
 * the thread that counts: the counts stay whole, the run ends {@code failed} with that failure as
 * its cause, and no further row is attempted.
 */
final class FailSafeReport implements ReportSink {

  private final ReportSink report;
  private final StopSignal stop;
  private volatile boolean failed;

  FailSafeReport(ReportSink report, StopSignal stop) {
    this.report = report;
    this.stop = stop;
  }

  @Override
  public void open() {
    report.open();
  }

  @Override
  public boolean keeps() {
    return report.keeps();
  }

  @Override
  public void add(ReportRow row) {
    if (failed) {
      return;
    }
    try {
      report.add(row);
    } catch (RuntimeException e) {
      failed = true;
      stop.request(StopSignal.Reason.FAILED, "stopped: the report could not be written", e);
    }
  }
}
