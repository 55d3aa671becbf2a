package app.achievements.cli;

import app.achievements.store.MongoRunJournal;
import app.achievements.store.MongoUserStore;
import app.achievements.store.ShardKey;
import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.MongoException;
import com.mongodb.WriteConcern;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Where the users are: the connection options shared by the commands that talk to MongoDB. */
final class ConnectionOptions {

  static final String DEFAULT_URI = "mongodb://localhost:27017";
  static final int DEFAULT_TIMEOUT_SECONDS = 10;
  static final int DEFAULT_OPERATION_TIMEOUT_SECONDS = 30;

  /**
   * How often the driver measures the round trip to each server, unless the URI says ({@code
   * heartbeatFrequencyMS}; the driver's own default is 10 s): a run widens its window of writes in
   * flight by the least of the recent round trips, which takes two of them, so that far from the
   * server the window opens within about two seconds instead of twenty. One {@code hello} a second
   * per server.
   */
  static final Duration HEARTBEAT = Duration.ofSeconds(1);

  /** The driver's {@code maxPoolSize} when the URI does not set one. */
  static final int DRIVER_MAX_POOL = 100;

  /**
   * How much longer than {@code --operation-timeout} the client waits on a socket, so that the
   * server's own {@code maxTimeMS} or {@code wtimeout} error, which says what timed out, arrives
   * first: a fifth of it, one second at least.
   */
  static Duration socketMargin(Duration operationTimeout) {
    Duration fifth = operationTimeout.dividedBy(5);
    return fifth.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : fifth;
  }

  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  private final Context context;

  /** This command's run id: its history entry's {@code _id}, and in the comment of its commands. */
  private final String runId = UUID.randomUUID().toString();

  ConnectionOptions(Context context) {
    this.context = context;
  }

  /** The id of this command's run (a real run records its history entry under it). */
  String runId() {
    return runId;
  }

  /**
   * The comment every command of this run carries, {@code achievements-migrate <run id>}: {@code
   * db.currentOp({"command.comment": /achievements-migrate/})} and the profiler show it.
   */
  String comment() {
    return MongoRunJournal.comment(new BsonString(runId));
  }

  /** The environment variable that holds the connection string, when --uri is not given. */
  static final String URI_VARIABLE = "MONGODB_URI";

  @Option(
      names = "--uri",
      paramLabel = "URI",
      description =
          "MongoDB connection string; else $MONGODB_URI, else --uri-file, else "
              + DEFAULT_URI
              + ". A password here is visible to other users (ps): prefer the other two.")
  String uri;

  @Option(
      names = "--uri-file",
      paramLabel = "PATH",
      description = "A file whose first line is the connection string.")
  Path uriFile;

  @Option(
      names = {"-d", "--database"},
      paramLabel = "NAME",
      description = "Database of the users collection; required unless the URI names one.")
  String database;

  @Option(
      names = "--collection",
      paramLabel = "NAME",
      defaultValue = "users",
      description = "The users collection (default: ${DEFAULT-VALUE}).")
  String collection;

  @Option(
      names = "--operation-timeout",
      paramLabel = "SECONDS",
      defaultValue = "" + DEFAULT_OPERATION_TIMEOUT_SECONDS,
      description =
          "No operation waits longer: reads carry maxTimeMS, majority writes wtimeout, and the"
              + " socket gives up a fifth later (1 s at least); a timed-out step is retried like a network"
              + " error (default: ${DEFAULT-VALUE}).")
  int operationTimeout;

  /** A connection string and where it came from. */
  record Source(String uri, String origin) {}

  /**
   * The connection string: {@code --uri}, else {@code $MONGODB_URI}, else the file, else default.
   */
  Source source() {
    if (uri != null) {
      return new Source(uri, "--uri");
    }
    String fromEnvironment = context.env().get(URI_VARIABLE);
    if (fromEnvironment != null && !fromEnvironment.isBlank()) {
      return new Source(fromEnvironment.strip(), URI_VARIABLE);
    }
    if (uriFile != null) {
      try {
        String firstLine = Files.readAllLines(uriFile).stream().findFirst().orElse("").strip();
        return new Source(firstLine, "--uri-file " + uriFile);
      } catch (IOException | UncheckedIOException e) {
        throw new ParameterException(
            spec.commandLine(),
            "cannot read --uri-file " + uriFile + ": " + e.getClass().getSimpleName());
      }
    }
    return new Source(DEFAULT_URI, "default");
  }

  /** The parsed connection string; a bad one is a usage error, shown without its password. */
  ConnectionString connectionString() {
    Source source = source();
    try {
      return new ConnectionString(source.uri());
    } catch (IllegalArgumentException e) {
      throw new ParameterException(
          spec.commandLine(),
          "invalid connection string from "
              + source.origin()
              + " "
              + Redaction.redact(source.uri())
              + ": "
              + Redaction.redact(e.getMessage()));
    }
  }

  /**
   * {@code cs}, unless it names a collection ({@code mongodb://host/app.users}), which would
   * otherwise be dropped without a word: a usage error.
   */
  private ConnectionString withoutCollection(ConnectionString cs) {
    if (cs.getCollection() != null) {
      throw new ParameterException(
          spec.commandLine(),
          "the connection string names a collection ("
              + cs.getDatabase()
              + "."
              + cs.getCollection()
              + "): name the database alone in it, and the collection with --collection");
    }
    return cs;
  }

  /**
   * The connection string as it may be printed, without its password, and where it came from unless
   * that was {@code --uri}.
   */
  String describe() {
    Source source = source();
    String shown = Redaction.redact(source.uri());
    return source.origin().equals("--uri") ? shown : shown + " (from " + source.origin() + ")";
  }

  /**
   * A warning when {@code --uri} carries a password (the command lines of a machine's processes can
   * be read by its other users), or when the connection string comes from a {@code --uri-file} that
   * other users may read.
   */
  Optional<String> passwordWarning() {
    if (uri == null && uriFile != null && source().origin().startsWith("--uri-file")) {
      return OwnerOnly.readableByOthers("--uri-file", uriFile);
    }
    if (uri != null && !Redaction.redact(uri).equals(uri)) {
      return Optional.of(
          "warning: the password in --uri can be read by other users of this machine (ps);"
              + " use $"
              + URI_VARIABLE
              + " or --uri-file instead");
    }
    return Optional.empty();
  }

  /** The database named by {@code --database}, else by the URI; a usage error if invalid. */
  String databaseName() {
    String name = database != null ? database : withoutCollection(connectionString()).getDatabase();
    if (name == null || name.isBlank()) {
      throw new ParameterException(
          spec.commandLine(),
          "no database: give --database NAME, or name it in the URI (mongodb://host/NAME)");
    }
    String problem = Names.databaseProblem(name);
    if (problem != null) {
      throw new ParameterException(spec.commandLine(), problem);
    }
    return name;
  }

  /** The users collection; a usage error if its name is invalid. */
  String collectionName() {
    return checkedCollection("--collection", collection);
  }

  /** {@code name} as the name of a collection in the users' database; a usage error if invalid. */
  String checkedCollection(String option, String name) {
    String problem = Names.collectionProblem(option, name, databaseName());
    if (problem != null) {
      throw new ParameterException(spec.commandLine(), problem);
    }
    return name;
  }

  /**
   * The users collection through {@code client}, with a warning on {@code err} when it does not
   * exist: a mistyped name would otherwise look like "nothing to do".
   */
  MongoUserStore users(MongoClient client, PrintWriter err) {
    MongoDatabase db = database(client);
    return users(client, collectionExists(db), err);
  }

  /**
   * The users collection through {@code client}, warned about on {@code err} unless it {@code
   * exists}; on a sharded cluster, with its shard key.
   */
  MongoUserStore users(MongoClient client, boolean exists, PrintWriter err) {
    if (!exists) {
      err.printf("warning: %s does not exist: check --database and --collection%n", namespace());
    }
    return new MongoUserStore(
        database(client).getCollection(collectionName(), BsonDocument.class),
        operationTimeout(),
        shardKey(client, err),
        comment());
  }

  /**
   * The shard key of the users collection; none, with one warning on {@code err}, when it cannot be
   * read (the user may not read {@code config.collections}): each write is then guarded by {@code
   * _id} alone, and on a sharded collection goes to every shard.
   */
  ShardKey shardKey(MongoClient client, PrintWriter err) {
    try {
      ShardKey key = ShardKey.of(client, namespace(), operationTimeout(), comment());
      if (!key.fields().isEmpty()) {
        err.printf("Sharded on: %s (each write names its user's shard)%n", key);
      }
      return key;
    } catch (MongoException e) {
      err.printf(
          "warning: cannot read the shard key of %s from config.collections (%s): each write is"
              + " guarded by _id alone; on a sharded collection it goes to every shard%n",
          namespace(), Redaction.redact(ErrorHandler.describe(e)));
      return ShardKey.NONE;
    }
  }

  /** {@code database.collection} of the users. */
  String namespace() {
    return databaseName() + "." + collectionName();
  }

  /**
   * As {@link #connect(PrintWriter, WriteConcern, int)}, with the URI's write concern or majority,
   * and no connection opened ahead (a command that reads one page after another).
   */
  MongoClient connect(PrintWriter human) {
    return connect(human, null, 0);
  }

  /**
   * Checks the database name (a usage error first), warns on standard error about a password in
   * {@code --uri}, says on {@code human} which server, then connects and pings it; writes are
   * acknowledged as {@code writeConcern} says, unless it is null. The pool opens {@code ahead}
   * connections in the background as soon as the server is found (see {@link #settings}).
   */
  MongoClient connect(PrintWriter human, WriteConcern writeConcern, int ahead) {
    check();
    return connectChecked(human, writeConcern, ahead);
  }

  /**
   * The checks before connecting: the database and collection names and the operation timeout (a
   * usage error first), then the warning about a password in {@code --uri}.
   */
  void check() {
    collectionName(); // and the database's, first
    operationTimeout();
    passwordWarning().ifPresent(spec.commandLine().getErr()::println);
  }

  /** {@link #connect(PrintWriter, WriteConcern, int)} once {@link #check} has passed. */
  MongoClient connectChecked(PrintWriter human, WriteConcern writeConcern, int ahead) {
    human.printf("Server:     %s%n", describe());
    MongoClient client = open(writeConcern, ahead);
    try {
      // Not retried: a server that cannot be reached at the start fails fast; failures once the
      // run has begun are retried.
      client
          .getDatabase("admin")
          .runCommand(
              new BsonDocument("ping", new BsonInt32(1))
                  .append("comment", new BsonString(comment())));
    } catch (RuntimeException e) {
      client.close();
      throw e;
    }
    return client;
  }

  /** Whether the users collection exists; true when that cannot be told (the run will say more). */
  boolean collectionExists(MongoDatabase db) {
    try {
      return db.listCollectionNames()
          .comment(comment())
          .into(new ArrayList<>())
          .contains(collection);
    } catch (MongoException e) {
      return true;
    }
  }

  /** The users' database through {@code client}. */
  MongoDatabase database(MongoClient client) {
    return client.getDatabase(databaseName());
  }

  /**
   * A client for the URI. Unless the URI says otherwise: server selection and connection time out
   * after {@value #DEFAULT_TIMEOUT_SECONDS} s, so an unreachable server fails fast; writes are
   * acknowledged by a majority, so a migrated user survives a failover.
   */
  MongoClient open() {
    return open(null, 0);
  }

  /**
   * As above; writes are acknowledged as {@code writeConcern} says, unless it is null, and {@code
   * ahead} connections are opened ahead.
   */
  MongoClient open(WriteConcern writeConcern, int ahead) {
    return MongoClients.create(settings(writeConcern, ahead));
  }

  /**
   * How many connections a client of the URI holds at once at most: its {@code maxPoolSize}, the
   * driver's {@value #DRIVER_MAX_POOL} when it sets none ({@code 0}, no limit, counts as the most
   * an int holds).
   */
  int maxPoolSize() {
    Integer max = connectionString().getMaxConnectionPoolSize();
    return max == null ? DRIVER_MAX_POOL : max == 0 ? Integer.MAX_VALUE : max;
  }

  /** {@code --operation-timeout}, checked: 1 to 3600 seconds. */
  Duration operationTimeout() {
    if (operationTimeout < 1 || operationTimeout > 3600) {
      throw new ParameterException(
          spec.commandLine(),
          "--operation-timeout must be 1 to 3600 seconds, not " + operationTimeout);
    }
    return Duration.ofSeconds(operationTimeout);
  }

  /**
   * The client settings of {@link #open}. Every wait has a deadline: server selection and
   * connecting ({@value #DEFAULT_TIMEOUT_SECONDS} s, or {@code --operation-timeout} if shorter,
   * unless the URI says otherwise), a connection from the pool, a write's replication ({@code
   * wtimeout}) and each socket read ({@code --operation-timeout}, the socket a fifth more), unless
   * the URI sets a finite one of its own. The driver's client-side operation timeout ({@code
   * timeoutMS}) is experimental: a URI that sets it is refused. The driver's own retries of reads
   * and writes are off unless the URI turns them on: the tool retries every step itself, from its
   * checkpoint, within {@code --max-retries} and {@code --retry-timeout}, and the driver's would
   * add attempts (each with a server selection of its own) outside those bounds; its guarded writes
   * make a replay harmless without them. Writes are acknowledged as {@code writeConcern} says
   * ({@code --write-concern}), else as the URI says, else by a majority. Unless the URI says: the
   * pool opens {@code ahead} connections (at most its {@code maxPoolSize}) in the background as
   * soon as the server is found, so that none is opened on a run's way, at a few round trips each
   * (TCP, the driver's handshake, TLS and authentication if any) far from the server, after the
   * write that waits for it has passed its stop check; and the round trip is measured every {@link
   * #HEARTBEAT}. A {@code minPoolSize} above the {@code maxPoolSize} is a usage error.
   */
  MongoClientSettings settings(WriteConcern writeConcern, int ahead) {
    ConnectionString cs = withoutCollection(connectionString());
    Duration timeout = operationTimeout();
    if (cs.getTimeout() != null) {
      throw new ParameterException(
          spec.commandLine(),
          "timeoutMS in the connection string is not supported (the driver's client-side"
              + " operation timeout is experimental): use --operation-timeout");
    }
    Integer uriMax = cs.getMaxConnectionPoolSize();
    // the driver refuses a least above the most, even a most of 0 (no limit)
    int most = uriMax != null ? uriMax : DRIVER_MAX_POOL;
    if (cs.getMinConnectionPoolSize() != null && cs.getMinConnectionPoolSize() > most) {
      throw new ParameterException(
          spec.commandLine(),
          "the connection string's minPoolSize ("
              + cs.getMinConnectionPoolSize()
              + ") is above its maxPoolSize ("
              + most
              + (uriMax == null ? ", the driver's default" : "")
              + ")");
    }
    MongoClientSettings.Builder settings =
        MongoClientSettings.builder()
            .applyConnectionString(cs)
            .applicationName("achievements-migrate");
    long selection = Math.min(DEFAULT_TIMEOUT_SECONDS * 1000L, timeout.toMillis());
    if (cs.getServerSelectionTimeout() == null) {
      settings.applyToClusterSettings(
          cluster -> cluster.serverSelectionTimeout(selection, TimeUnit.MILLISECONDS));
    }
    if (cs.getConnectTimeout() == null) {
      settings.applyToSocketSettings(
          socket -> socket.connectTimeout((int) selection, TimeUnit.MILLISECONDS));
    }
    if (cs.getRetryReads() == null) {
      settings.retryReads(false);
    }
    if (cs.getRetryWritesValue() == null) {
      settings.retryWrites(false);
    }
    Integer uriReadTimeout = cs.getSocketTimeout();
    if (uriReadTimeout == null || uriReadTimeout == 0) {
      settings.applyToSocketSettings(
          socket ->
              socket.readTimeout(
                  timeout.plus(socketMargin(timeout)).toMillis(), TimeUnit.MILLISECONDS));
    }
    if (cs.getMaxWaitTime() == null) {
      settings.applyToConnectionPoolSettings(
          pool -> pool.maxWaitTime(timeout.toMillis(), TimeUnit.MILLISECONDS));
    }
    if (cs.getMinConnectionPoolSize() == null) {
      // never more than the URI's maxPoolSize: the driver refuses a pool whose least is above it,
      // even when the most is 0 (no limit)
      int least = uriMax != null && uriMax == 0 ? 0 : Math.min(ahead, maxPoolSize());
      settings.applyToConnectionPoolSettings(pool -> pool.minSize(least));
    }
    if (cs.getHeartbeatFrequency() == null) {
      settings.applyToServerSettings(
          server -> server.heartbeatFrequency(HEARTBEAT.toMillis(), TimeUnit.MILLISECONDS));
    }
    WriteConcern concern =
        writeConcern != null
            ? writeConcern
            : cs.getWriteConcern() != null ? cs.getWriteConcern() : WriteConcern.MAJORITY;
    if (concern.getWTimeout(TimeUnit.MILLISECONDS) == null) {
      concern = concern.withWTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
    settings.writeConcern(concern);
    return settings.build();
  }
}
