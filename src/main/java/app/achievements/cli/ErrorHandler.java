package app.achievements.cli;

import app.achievements.run.RunFailedException;
import app.achievements.run.RunInterruptedException;
import app.achievements.run.RunRefusedException;
import app.achievements.run.RunResult;
import app.achievements.run.RunStoppedException;
import app.achievements.run.TimeLimitException;
import app.achievements.store.LockHeldException;
import com.mongodb.MongoCommandException;
import com.mongodb.MongoException;
import com.mongodb.MongoExecutionTimeoutException;
import com.mongodb.MongoSecurityException;
import com.mongodb.MongoSocketException;
import com.mongodb.MongoSocketReadTimeoutException;
import com.mongodb.MongoTimeoutException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Every error as one clear line on standard error, never a stack trace unless {@code -v}; usage
 * errors exit 2, everything else 1. Messages pass through {@link Redaction}.
 */
final class ErrorHandler implements IExecutionExceptionHandler, IParameterExceptionHandler {

  @Override
  public int handleParseException(ParameterException e, String[] args) {
    String message = Redaction.redact(e.getMessage());
    PrintWriter err = e.getCommandLine().getErr();
    err.println("error: " + message + " (see --help)");
    err.flush();
    json(e.getCommandLine(), List.of(args), message, ExitCodes.USAGE);
    return ExitCodes.USAGE;
  }

  /** Under {@code --json}, standard output still carries its one object: the error. */
  private static void json(
      CommandLine commandLine, List<String> args, String message, int exitCode) {
    if (args.contains("--json")) {
      String command = commandLine.getParent() == null ? "migrate" : commandLine.getCommandName();
      commandLine.getOut().println(SummaryJson.error(command, message, exitCode));
      commandLine.getOut().flush();
    }
  }

  @Override
  public int handleExecutionException(Exception e, CommandLine commandLine, ParseResult parsed) {
    if (e instanceof ParameterException usage) {
      return handleParseException(usage, parsed.originalArgs().toArray(String[]::new));
    }
    String message = print(commandLine.getErr(), e, verbose(parsed.originalArgs()));
    int exitCode = ExitCodes.of(e);
    json(commandLine, parsed.originalArgs(), message, exitCode);
    return exitCode;
  }

  /**
   * Prints the failure of {@code result}'s run if it stopped, or else what left its report
   * incomplete; returns the exit code that follows from its status, except that a run that did its
   * work but whose report is incomplete exits 1.
   */
  static int finish(PrintWriter err, RunResult result, String reportError, boolean verbose) {
    return finish(
        err,
        result.failure(),
        reportError,
        verbose,
        ExitCodes.of(result.status(), result.complete(), result.failure()));
  }

  /**
   * As above, for a command whose own failure is {@code failure} and exit code {@code exitCode}.
   */
  static int finish(
      PrintWriter err, Throwable failure, String reportError, boolean verbose, int exitCode) {
    if (failure != null) {
      print(err, failure, verbose);
      return exitCode;
    }
    if (reportError != null) {
      err.println("error: " + Redaction.redact(reportError));
      err.flush();
      return exitCode == ExitCodes.OK || exitCode == ExitCodes.INCOMPLETE
          ? ExitCodes.FATAL
          : exitCode;
    }
    return exitCode;
  }

  /** Whether {@code args} ask for stack traces: {@code -v}, {@code -vv}, {@code --verbose}. */
  static boolean verbose(List<String> args) {
    return args.stream().anyMatch(arg -> arg.matches("-v+|--verbose"));
  }

  /**
   * Prints {@code e} on {@code err} as one line, {@code error: …}, with its stack trace only when
   * {@code verbose}; returns the message, redacted.
   */
  static String print(PrintWriter err, Throwable e, boolean verbose) {
    String message = Redaction.redact(describe(e));
    err.println("error: " + message);
    if (verbose) {
      e.printStackTrace(err);
    }
    err.flush();
    return message;
  }

  static String describe(Throwable e) {
    if (e instanceof RunFailedException && e.getCause() != null) {
      return describe(e.getCause());
    }
    if (e instanceof MongoTimeoutException) {
      return unreachable(firstLine(e.getMessage()));
    }
    if (e instanceof MongoSocketReadTimeoutException timeout) {
      return "MongoDB at "
          + timeout.getServerAddress()
          + " did not answer in time (the socket read timed out; see --operation-timeout)";
    }
    if (e instanceof MongoSocketException socket) {
      Throwable cause = rootCause(e);
      return "cannot reach MongoDB at "
          + socket.getServerAddress()
          + ": "
          + (cause == e
              ? firstLine(e.getMessage())
              : cause.getClass().getSimpleName() + ": " + firstLine(cause.getMessage()));
    }
    if (e instanceof MongoExecutionTimeoutException) {
      return "MongoDB gave up on an operation that passed its time limit (maxTimeMS; see"
          + " --operation-timeout): "
          + firstLine(e.getMessage());
    }
    if (e instanceof MongoSecurityException) {
      return "MongoDB refused the credentials: " + firstLine(rootCause(e).getMessage());
    }
    if (e instanceof MongoCommandException command) {
      return "MongoDB error "
          + command.getErrorCode()
          + ": "
          + firstLine(command.getErrorMessage());
    }
    if (e instanceof UncheckedIOException
        || e instanceof LockHeldException
        || e instanceof RunInterruptedException
        || e instanceof RunStoppedException
        || e instanceof TimeLimitException
        || e instanceof RunRefusedException) {
      return firstLine(e.getMessage());
    }
    if (e instanceof MongoException) {
      return "MongoDB error: " + firstLine(e.getMessage());
    }
    return "unexpected " + e.getClass().getSimpleName() + ": " + firstLine(e.getMessage());
  }

  private static final Pattern ADDRESS = Pattern.compile("address=([^,}\\s]+)");
  private static final Pattern CAUSE =
      Pattern.compile("caused by \\{(?:[\\w.]+\\.)?(\\w+(?:Exception|Error)): ([^}]*)\\}");

  /**
   * "cannot reach MongoDB at host:port: ConnectException: Connection refused", read out of the
   * driver's description of the cluster; the whole description where it has another shape.
   */
  static String unreachable(String message) {
    Matcher address = ADDRESS.matcher(message);
    if (!address.find()) {
      return "cannot reach MongoDB: " + message;
    }
    List<String> addresses = new ArrayList<>();
    do {
      addresses.add(address.group(1));
    } while (address.find());
    String cause = "no answer";
    Matcher causes = CAUSE.matcher(message);
    while (causes.find()) {
      cause = causes.group(1) + ": " + causes.group(2);
    }
    return "cannot reach MongoDB at " + String.join(", ", addresses) + ": " + cause;
  }

  private static Throwable rootCause(Throwable e) {
    Throwable cause = e;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    return cause;
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "(no message)";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
