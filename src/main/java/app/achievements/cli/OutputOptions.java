package app.achievements.cli;

import app.achievements.run.Progress;
import app.achievements.run.ProgressListener;
import app.achievements.run.ReportSink;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Where a command's output goes: {@code --json}, {@code --report}, {@code --force}, {@code
 * --quiet}.
 */
final class OutputOptions {

  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  @Option(
      names = "--json",
      description =
          "Print exactly one JSON object on standard output (counts, exit code); the rest goes to"
              + " standard error.")
  boolean json;

  @Option(
      names = "--report",
      paramLabel = "FILE",
      description =
          "Write JSON Lines, a line per user worth a look (migrate: rejected, conflicting,"
              + " failed, unfinished, or migrated with a note; rollback: kept, conflicting, failed,"
              + " unfinished; verify: mismatched, still eligible, rejected). Dry runs too.")
  Path report;

  @Option(names = "--force", description = "Let --report replace an existing file.")
  boolean force;

  @Option(names = "--quiet", description = "No progress lines.")
  boolean quiet;

  @Option(
      names = "--progress-json",
      description =
          "Progress as one JSON object per line on standard error, every 5 s and at the end"
              + " (counts, rate, ETA, batch size, lag, whether writes go), instead of the bar or"
              + " the plain lines.")
  boolean progressJson;

  static final int TERMINAL_WIDTH = 100;

  /**
   * Who hears a run's progress: JSON lines with {@code --progress-json}, nothing with {@code
   * --quiet}, a bar on a {@code terminal}, else plain lines at most every 5 s.
   */
  ProgressListener progress(boolean terminal) {
    if (progressJson) {
      return new JsonProgress(spec.commandLine().getErr(), Progress.DEFAULT_INTERVAL);
    }
    if (quiet) {
      return ProgressListener.NONE;
    }
    return terminal
        ? new TerminalProgress(spec.commandLine().getErr(), TERMINAL_WIDTH)
        : new Progress(human(), Progress.DEFAULT_INTERVAL);
  }

  private final AtomicBoolean answered = new AtomicBoolean();

  /**
   * Prints {@code json} on standard output under {@code --json}, once: whichever comes first, the
   * command's result or a signal's last words, is the one object there.
   */
  void answer(String json) {
    if (this.json && answered.compareAndSet(false, true)) {
      spec.commandLine().getOut().println(json);
      spec.commandLine().getOut().flush();
    }
  }

  /**
   * What a signal that ends {@code command} before its run can says under {@code --json}: its
   * error, with the exit code of an interrupted run.
   */
  Consumer<String> lastWords(String command) {
    return message -> answer(SummaryJson.error(command, message, ExitCodes.INTERRUPTED));
  }

  /** Where text for people goes: standard error under {@code --json}, else standard output. */
  PrintWriter human() {
    return json ? spec.commandLine().getErr() : spec.commandLine().getOut();
  }

  /** What a command did, and what left its report incomplete (a full disk), or null. */
  record Reported<R>(R result, String reportError) {}

  /**
   * Runs {@code command} with the report as its sink (nothing without {@code --report}), then
   * closes the report, whatever happened. The report is checked first: a directory, a missing
   * directory, or an existing file without {@code --force} is a usage error before anything runs.
   * The command creates the file once it may write.
   */
  <R> Reported<R> reporting(Function<ReportSink, R> command) {
    Optional<ReportFile> file = report();
    R result;
    try {
      result = command.apply(file.isPresent() ? file.get() : ReportSink.NONE);
    } catch (RuntimeException e) {
      close(file);
      throw e;
    }
    return new Reported<>(result, close(file));
  }

  private Optional<ReportFile> report() {
    if (report == null) {
      return Optional.empty();
    }
    String problem = ReportFile.problem(report, force);
    if (problem != null) {
      throw new ParameterException(spec.commandLine(), problem);
    }
    return Optional.of(new ReportFile(report, force));
  }

  /**
   * Closes the report, if any; what left it incomplete (a full disk), or null. Never throws: the
   * run's own outcome comes first.
   */
  private String close(Optional<ReportFile> file) {
    if (file.isEmpty()) {
      return null;
    }
    try {
      file.get().close();
      return null;
    } catch (IOException | UncheckedIOException e) {
      return "cannot finish --report " + report + ": " + e.getMessage();
    }
  }
}
