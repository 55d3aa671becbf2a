package app.achievements.cli;

import app.achievements.pace.InFlight;
import app.achievements.pace.Pace;
import app.achievements.pace.PaceOptions;
import app.achievements.run.Confirmation;
import app.achievements.run.MigrationOptions;
import app.achievements.run.ReportSink;
import app.achievements.run.RunSetup;
import app.achievements.run.StopSignal;
import app.achievements.store.MongoRunJournal;
import app.achievements.store.ReplicationLag;
import app.achievements.store.Retry;
import app.achievements.store.RoundTrips;
import app.achievements.store.RunJournal;
import com.mongodb.WriteConcern;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoDatabase;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.Charset;
import java.time.Instant;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.bson.BsonBoolean;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonString;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The options of the commands that write: {@code --dry-run}, {@code --batch-size}, {@code --yes}.
 */
final class WriteOptions {

  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  private final Context context;

  WriteOptions(Context context) {
    this.context = context;
  }

  @Option(
      names = "--dry-run",
      description = "Read and check everything, report what a run would do, write nothing.")
  boolean dryRun;

  @Option(
      names = "--batch-size",
      paramLabel = "N",
      defaultValue = "" + MigrationOptions.DEFAULT_BATCH_SIZE,
      description =
          "Users per page read and per bulk write, 1 to 100000 (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(names = "--yes", description = "Do not ask for confirmation (for scripts).")
  boolean yes;

  @Option(
      names = "--buffer",
      paramLabel = "SIZE",
      defaultValue = "32m",
      description =
          "The most memory the users read and not yet written may take (64m, 1g; 1m at least;"
              + " default: ${DEFAULT-VALUE}): pages are cut short to fit, whatever --batch-size and"
              + " --writers say; a single larger user still goes alone.")
  String buffer;

  @Option(
      names = "--write-concern",
      paramLabel = "W",
      description =
          "majority (the default unless the URI sets w) or a number of members, 1 or more:"
              + " unacknowledged writes could not be checked.")
  String writeConcern;

  static final String DEFAULT_HISTORY = "migrate_history";

  /**
   * Where the lock lives, whatever {@code --history-collection} says: runs that record their
   * history in different collections must still exclude each other.
   */
  static final String LOCKS = DEFAULT_HISTORY + "_locks";

  @Option(
      names = "--history-collection",
      paramLabel = "NAME",
      defaultValue = DEFAULT_HISTORY,
      description =
          "Where real runs record themselves, in the users' database (default: ${DEFAULT-VALUE});"
              + " the lock lives in "
              + DEFAULT_HISTORY
              + "_locks whatever this says.")
  String historyCollection;

  @Option(
      names = "--force-unlock",
      description = "Take the lock even from a run that seems alive (only if you know it is gone).")
  boolean forceUnlock;

  @Option(
      names = "--allow-missing-collection",
      description =
          "With --yes, run even when the users collection does not exist (the run is still"
              + " recorded, which creates the database); without it, that is an error.")
  boolean allowMissingCollection;

  /**
   * The setup of a run of {@code command} through {@code client}; {@code lastWords} prints what the
   * process says (under {@code --json}) when a signal ends it before the run can: the users (with a
   * warning when the collection does not exist, and an error for a run with {@code --yes} that
   * would record itself in a database where it does not), the prompt on standard input, the report
   * and the journal, and the pace of {@code pacing} (the lag read from the admin database). The
   * run's retries and pace sleep on its stop signal, so a stop ends their waits.
   */
  RunSetup.Builder setup(
      ConnectionOptions connection,
      RetryOptions retrying,
      PaceOptions pacing,
      MongoClient client,
      PrintWriter human,
      MigrationOptions options,
      ReportSink report,
      String command,
      Consumer<String> lastWords) {
    MongoDatabase database = connection.database(client);
    boolean exists = connection.collectionExists(database);
    if (!exists && !options.dryRun() && options.assumeYes() && !allowMissingCollection) {
      throw new ParameterException(
          spec.commandLine(),
          connection.namespace()
              + " does not exist, so there is nothing to "
              + (command.equals("rollback") ? "roll back" : command)
              + ": check --database and --collection (--allow-missing-collection runs anyway)");
    }
    StopSignal stop = context.stop();
    if (context.handleSignals()) {
      Signals.install(stop, spec.commandLine().getErr(), lastWords);
    }
    Retry retry = retrying.retry(stop::sleep);
    // The journal records the end of a stopped run too: its retries do not stop with the run.
    Retry journalRetry = retrying.retry(Retry.Sleeper.REAL);
    return RunSetup.builder(
            connection.users(client, exists, spec.commandLine().getErr()),
            human,
            context.clock(),
            options)
        .confirmation(Confirmation.from(context.in(), Charset.defaultCharset()))
        .report(report)
        .journal(journal(database, connection, command, pacing, journalRetry))
        .retry(retry)
        .pace(
            new Pace(
                pacing,
                options.batchSize(),
                new ReplicationLag(client.getDatabase("admin"), connection.comment()),
                stop::sleep))
        .inFlight(
            // only a real migration has a window: a dry run writes nothing, a rollback one at a
            // time
            options.dryRun() || !command.equals("migrate")
                ? InFlight.fixed(options.writers())
                : inFlight(connection, options.writers(), RoundTrips.of(client)))
        .stop(stop);
  }

  /**
   * The window of writes in flight of {@code writers} within the connections that the URI's pool
   * leaves the writes (see {@link #connect}), saying on standard error when they are fewer than the
   * writers.
   */
  private InFlight inFlight(ConnectionOptions connection, int writers, LongSupplier roundTrips) {
    InFlight inFlight = InFlight.within(writers, writeConnections(connection), roundTrips);
    if (inFlight.writers() < writers) {
      spec.commandLine()
          .getErr()
          .printf(
              "warning: the connection string's maxPoolSize (%d) leaves %d connection(s) for"
                  + " writes beside the run's %d others: %d write(s) at once instead of %d"
                  + " (--writers)%n",
              connection.maxPoolSize(),
              inFlight.writers(),
              RunSetup.CONNECTIONS_BESIDE_WRITES,
              inFlight.writers(),
              writers);
    }
    return inFlight;
  }

  /** The connections of the URI's pool that a run's writes may hold at once. */
  private static int writeConnections(ConnectionOptions connection) {
    return (int)
        Math.min(
            Integer.MAX_VALUE,
            (long) connection.maxPoolSize() - RunSetup.CONNECTIONS_BESIDE_WRITES);
  }

  /**
   * The journal of a real run of {@code command} on the users of {@code connection} in {@code
   * database}: its history entry (run id, command, options without secrets, tool version, host,
   * user, pid) and its lock.
   */
  RunJournal journal(
      MongoDatabase database,
      ConnectionOptions connection,
      String command,
      PaceOptions pacing,
      Retry retry) {
    String users = connection.collectionName();
    BsonDocument options =
        new BsonDocument("batchSize", new BsonInt32(batchSize))
            .append("bufferBytes", new BsonInt64(Sizes.parse(buffer)))
            .append("yes", BsonBoolean.valueOf(yes))
            .append("forceUnlock", BsonBoolean.valueOf(forceUnlock))
            .append("maxRate", new BsonDouble(pacing.maxRate()))
            .append("maxLagSeconds", new BsonDouble(pacing.maxLag().toMillis() / 1000.0))
            .append("checkIntervalMs", new BsonInt64(pacing.checkInterval().toMillis()))
            .append("batchTimeMs", new BsonInt64(pacing.batchTime().toMillis()));
    if (pacing.pauseFile() != null) {
      options.append("pauseFile", new BsonString(pacing.pauseFile().toString()));
    }
    if (pacing.stopAfter() != null) {
      options.append("stopAfterMs", new BsonInt64(pacing.stopAfter().toMillis()));
    }
    BsonDocument entry =
        new BsonDocument("_id", new BsonString(connection.runId()))
            .append("command", new BsonString(command))
            .append("database", new BsonString(database.getName()))
            .append("collection", new BsonString(users))
            .append("options", options)
            .append("tool", new BsonString(new ManifestVersionProvider().getVersion()[0]))
            .append("host", new BsonString(hostName()))
            .append("user", new BsonString(System.getProperty("user.name", "?")))
            .append("pid", new BsonInt64(ProcessHandle.current().pid()));
    return MongoRunJournal.builder(
            database.getCollection(historyCollection, BsonDocument.class),
            database.getCollection(LOCKS, BsonDocument.class),
            database.getName() + "." + users,
            entry)
        .clock(context.clock())
        .forceUnlock(forceUnlock)
        .retry(retry)
        .serverTime(MongoRunJournal.serverTime(database, connection.comment()))
        .operationTimeout(connection.operationTimeout())
        .build();
  }

  /**
   * The start instants that real migrations recorded in the history collection of {@code database}:
   * what verify and rollback accept where the run-start fallback applied.
   */
  Set<Instant> runStarts(MongoDatabase database, ConnectionOptions connection) {
    return MongoRunJournal.recordedRunStarts(
        database.getCollection(historyCollection, BsonDocument.class),
        database.getName(),
        connection.collectionName(),
        connection.operationTimeout(),
        connection.comment());
  }

  static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "?";
    }
  }

  /** {@code --write-concern}: majority, or w ≥ 1; null when not given (a usage error if bad). */
  WriteConcern writeConcern() {
    if (writeConcern == null) {
      return null;
    }
    if (writeConcern.equals("majority")) {
      return WriteConcern.MAJORITY;
    }
    try {
      int w = Integer.parseInt(writeConcern);
      if (w >= 1) {
        return new WriteConcern(w);
      }
    } catch (NumberFormatException e) {
      // the usage error below says what is accepted
    }
    throw new ParameterException(
        spec.commandLine(),
        "--write-concern must be majority or a number of 1 or more, not " + writeConcern);
  }

  /**
   * Connects as {@code connection} says for a run of {@code writers}, with writes acknowledged as
   * {@code --write-concern} says, opening ahead the connections the run may hold at once: its
   * widest window of writes and the {@link RunSetup#CONNECTIONS_BESIDE_WRITES} others. A pool of
   * the URI too small for the others and one write is a usage error: a write that passed its stop
   * check would wait for a connection, and be sent after a stop. A {@code dryRun} writes nothing
   * and holds no lock: any pool, none opened ahead.
   */
  MongoClient connect(
      ConnectionOptions connection, PrintWriter human, int writers, boolean dryRun) {
    connection.check();
    if (dryRun) { // it reads one page after another, and holds no lock
      return connection.connectChecked(human, writeConcern(), 0);
    }
    int forWrites = writeConnections(connection);
    if (forWrites < 1) {
      throw new ParameterException(
          spec.commandLine(),
          "the connection string's maxPoolSize ("
              + connection.maxPoolSize()
              + ") is too small for a run, which holds "
              + (RunSetup.CONNECTIONS_BESIDE_WRITES + 1)
              + " connections at once (the page reader, a write, the monitor, the lock's"
              + " renewal): raise it or leave it out");
    }
    int most = InFlight.within(writers, forWrites, () -> 0).most();
    return connection.connectChecked(
        human, writeConcern(), RunSetup.CONNECTIONS_BESIDE_WRITES + most);
  }

  /** The run's options; a value out of range, or a name MongoDB refuses, is a usage error. */
  MigrationOptions options(ConnectionOptions connection) {
    if (batchSize < MigrationOptions.MIN_BATCH_SIZE
        || batchSize > MigrationOptions.MAX_BATCH_SIZE) {
      throw new ParameterException(
          spec.commandLine(),
          "--batch-size must be "
              + MigrationOptions.MIN_BATCH_SIZE
              + " to "
              + MigrationOptions.MAX_BATCH_SIZE
              + ", not "
              + batchSize);
    }
    connection.checkedCollection("--history-collection", historyCollection);
    writeConcern();
    long bytes = Sizes.parse(buffer);
    if (bytes < MigrationOptions.MIN_BUFFER) {
      throw new ParameterException(
          spec.commandLine(),
          "--buffer must be a whole number of bytes, or of k, m or g, 1m or more (64m, 1g), not "
              + buffer);
    }
    long heap = Runtime.getRuntime().maxMemory();
    if (bytes > heap / 2) {
      throw new ParameterException(
          spec.commandLine(),
          "--buffer "
              + buffer
              + " is more than half of this JVM's heap ("
              + heap / (1024 * 1024)
              + " MB): give java a larger -Xmx, or a smaller --buffer");
    }
    return MigrationOptions.defaults()
        .withDryRun(dryRun)
        .withBatchSize(batchSize)
        .withAssumeYes(yes)
        .withBuffer(bytes);
  }
}
