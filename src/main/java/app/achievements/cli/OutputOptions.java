package app.achievements.cli;

import app.achievements.run.ReportSink;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
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
          "Write JSON Lines, one per user rejected, conflicting, failed or migrated with a note"
              + " (dry runs too).")
  Path report;

  @Option(names = "--force", description = "Let --report replace an existing file.")
  boolean force;

  @Option(names = "--quiet", description = "No progress lines.")
  boolean quiet;

  private final java.util.concurrent.atomic.AtomicBoolean answered =
      new java.util.concurrent.atomic.AtomicBoolean();

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

  /** Where text for people goes: standard error under {@code --json}, else standard output. */
  PrintWriter human() {
    return json ? spec.commandLine().getErr() : spec.commandLine().getOut();
  }

  /**
   * The report file, checked now (a usage error for a directory, a missing directory, or an
   * existing file without {@code --force}) and created by the run once it may write.
   */
  Optional<ReportFile> report() {
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
  String close(Optional<ReportFile> file) {
    if (file.isEmpty()) {
      return null;
    }
    try {
      file.get().close();
      return null;
    } catch (java.io.IOException | java.io.UncheckedIOException e) {
      return "cannot finish --report " + report + ": " + e.getMessage();
    }
  }

  /** {@link #report} as a sink: discards everything without {@code --report}. */
  ReportSink reportSink(Optional<ReportFile> file) {
    return file.isPresent() ? file.get() : ReportSink.NONE;
  }
}
