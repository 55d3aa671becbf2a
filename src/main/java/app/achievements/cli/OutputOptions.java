package app.achievements.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
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

  /** The report file, created now; an existing one is a usage error unless {@code --force}. */
  Optional<ReportFile> openReport() {
    if (report == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(ReportFile.create(report, force));
    } catch (FileAlreadyExistsException e) {
      throw new ParameterException(
          spec.commandLine(), "--report " + report + " exists: use --force to replace it");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create --report " + report + ": " + e, e);
    }
  }
}
