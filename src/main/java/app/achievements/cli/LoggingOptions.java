package app.achievements.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.filter.ThresholdFilter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.FileAppender;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code -v}, {@code -vv} and {@code --log-file}: how much is logged, and where. Standard error
 * shows warnings by default, INFO with {@code -v}, DEBUG (the driver's too) with {@code -vv}; a log
 * file gets everything down to DEBUG whatever the console shows.
 */
final class LoggingOptions {

  static final String PATTERN = "%d{HH:mm:ss.SSS} %-5level %logger{36} - %msg%n";

  @Option(
      names = {"-v", "--verbose"},
      description =
          "More on standard error: -v logs INFO and shows the stack trace of an error, -vv logs"
              + " DEBUG, the driver's too.")
  boolean[] verbose = new boolean[0];

  @Option(
      names = "--log-file",
      paramLabel = "PATH",
      description = "Also write the full log (DEBUG) to PATH.")
  Path logFile;

  /** Whether an error is shown with its stack trace: {@code -v} or more. */
  boolean verbose() {
    return verbose.length > 0;
  }

  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  /**
   * Sets logback up for this run: a console appender at the chosen level, and the file. A log file
   * that is a directory, or whose directory does not exist, is a usage error; one that exists and
   * others can read draws a warning (the log may name users).
   */
  void apply() {
    if (logFile != null) {
      checkLogFile();
    }
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.detachAndStopAllAppenders();
    Level console =
        switch (Math.min(verbose.length, 2)) {
          case 0 -> Level.WARN;
          case 1 -> Level.INFO;
          default -> Level.DEBUG;
        };
    root.addAppender(consoleAppender(context, console));
    if (logFile != null) {
      root.addAppender(fileAppender(context, logFile));
    }
    root.setLevel(logFile != null ? Level.DEBUG : console);
    // The embedded server (demo, sandbox) reports every client that hung up as an error, with a
    // stack trace: a client that stops is no error of the server's.
    context.getLogger("de.bwaldvogel.mongo.wire.MongoExceptionHandler").setLevel(Level.OFF);
  }

  private static ConsoleAppender<ILoggingEvent> consoleAppender(
      LoggerContext context, Level level) {
    ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
    appender.setContext(context);
    appender.setName("console");
    appender.setTarget("System.err");
    appender.setEncoder(encoder(context));
    ThresholdFilter threshold = new ThresholdFilter();
    threshold.setLevel(level.levelStr);
    threshold.start();
    appender.addFilter(threshold);
    appender.start();
    return appender;
  }

  /**
   * Creates the log file readable by its owner only, or warns when an existing one is readable by
   * others; a usage error when it cannot be a file of its own: logback would otherwise create the
   * missing directories, and the file, as the umask says, or log nothing without a word.
   */
  private void checkLogFile() {
    if (Files.isDirectory(logFile)) {
      throw new ParameterException(
          spec.commandLine(), "--log-file " + logFile + " is a directory: name a file");
    }
    Path parent = logFile.toAbsolutePath().getParent();
    if (parent != null && !Files.isDirectory(parent)) {
      throw new ParameterException(
          spec.commandLine(), "--log-file " + logFile + ": no such directory " + parent);
    }
    boolean existed = Files.exists(logFile);
    try {
      OwnerOnly.create(logFile);
    } catch (IOException e) {
      throw new ParameterException(
          spec.commandLine(), "cannot create --log-file " + logFile + ": " + e.getMessage());
    }
    if (existed) {
      OwnerOnly.readableByOthers("--log-file", logFile)
          .ifPresent(spec.commandLine().getErr()::println);
    }
  }

  /** The log file, appended to: {@link #checkLogFile} made sure it is one. */
  private static FileAppender<ILoggingEvent> fileAppender(LoggerContext context, Path file) {
    FileAppender<ILoggingEvent> appender = new FileAppender<>();
    appender.setContext(context);
    appender.setName("file");
    appender.setFile(file.toString());
    appender.setAppend(true);
    appender.setEncoder(encoder(context));
    appender.start();
    return appender;
  }

  private static PatternLayoutEncoder encoder(LoggerContext context) {
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern(PATTERN);
    encoder.start();
    return encoder;
  }
}
