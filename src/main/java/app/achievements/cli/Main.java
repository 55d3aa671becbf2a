package app.achievements.cli;

import app.achievements.run.StopSignal;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;

/** The entry point: the only place that calls {@code System.exit}. */
public final class Main {

  private Main() {}

  public static void main(String[] args) {
    Context context =
        new Context(
            System.in,
            Clock.systemUTC(),
            System.getenv(),
            System.console() != null,
            new StopSignal(),
            true);
    System.exit(commandLine(context).execute(args));
  }

  /** The whole command line, with its subcommands, in {@code context}. */
  static CommandLine commandLine(Context context) {
    ErrorHandler errors = new ErrorHandler();
    CommandLine commandLine =
        new CommandLine(MigrateCommand.class, new ContextFactory(context))
            .addSubcommand(VerifyCommand.class)
            .addSubcommand(RollbackCommand.class)
            .addSubcommand(HistoryCommand.class)
            .addSubcommand(StatusCommand.class)
            .addSubcommand(PauseCommand.class)
            .addSubcommand(ResumeCommand.class)
            .addSubcommand(SetCommand.class)
            .addSubcommand(DemoCommand.class)
            .addSubcommand(SandboxCommand.class)
            // "-d sandbox" names a database, not the subcommand
            .setAllowSubcommandsAsOptionParameters(true)
            .setExecutionExceptionHandler(errors)
            .setParameterExceptionHandler(errors);
    commandLine.getCommandSpec().usageMessage().exitCodeList(exitCodeList());
    return commandLine;
  }

  /** {@code commandLine} writing to {@code out} and {@code err}, for tests and embedding. */
  static CommandLine commandLine(Context context, PrintWriter out, PrintWriter err) {
    return commandLine(context).setOut(out).setErr(err);
  }

  private static Map<String, String> exitCodeList() {
    Map<String, String> list = new LinkedHashMap<>();
    for (String line : ExitCodes.HELP) {
      int colon = line.indexOf(':');
      list.put(line.substring(0, colon), line.substring(colon + 1));
    }
    return list;
  }
}
