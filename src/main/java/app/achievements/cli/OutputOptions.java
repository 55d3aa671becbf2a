package app.achievements.cli;

import app.achievements.migration.ReportSink;
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

  /** {@link #report} as a sink: discards everything without {@code --report}. */
  ReportSink reportSink(Optional<ReportFile> file) {
    return file.isPresent() ? file.get() : ReportSink.NONE;
  }
}
