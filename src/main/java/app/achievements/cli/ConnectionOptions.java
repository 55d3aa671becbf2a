package app.achievements.cli;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.WriteConcern;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Where the users are: the connection options shared by the commands that talk to MongoDB. */
final class ConnectionOptions {

  static final String DEFAULT_URI = "mongodb://localhost:27017";
  static final int DEFAULT_TIMEOUT_SECONDS = 10;

  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  @Option(
      names = "--uri",
      paramLabel = "URI",
      defaultValue = DEFAULT_URI,
      description = "MongoDB connection string (default: ${DEFAULT-VALUE}).")
  String uri;

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

  /** The parsed connection string; a bad one is a usage error, shown without its password. */
  ConnectionString connectionString() {
    try {
      return new ConnectionString(uri);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(
          spec.commandLine(),
          "invalid --uri " + Redaction.redact(uri) + ": " + Redaction.redact(e.getMessage()));
    }
  }

  /** The database named by {@code --database}, else by the URI. */
  String databaseName() {
    String name = database != null ? database : connectionString().getDatabase();
    if (name == null || name.isBlank()) {
      throw new ParameterException(
          spec.commandLine(),
          "no database: give --database NAME, or name it in the URI (mongodb://host/NAME)");
    }
    return name;
  }

  /** The URI as it may be printed: without its password. */
  String redactedUri() {
    return Redaction.redact(uri);
  }

  /**
   * A client for the URI. Unless the URI says otherwise: server selection and connection time out
   * after {@value #DEFAULT_TIMEOUT_SECONDS} s, so an unreachable server fails fast; writes are
   * acknowledged by a majority, so a migrated user survives a failover.
   */
  MongoClient open() {
    return MongoClients.create(settings());
  }

  /** The client settings of {@link #open}. */
  MongoClientSettings settings() {
    ConnectionString cs = connectionString();
    MongoClientSettings.Builder settings =
        MongoClientSettings.builder()
            .applyConnectionString(cs)
            .applicationName("achievements-migrate");
    if (cs.getServerSelectionTimeout() == null) {
      settings.applyToClusterSettings(
          cluster -> cluster.serverSelectionTimeout(DEFAULT_TIMEOUT_SECONDS, TimeUnit.SECONDS));
    }
    if (cs.getConnectTimeout() == null) {
      settings.applyToSocketSettings(
          socket -> socket.connectTimeout(DEFAULT_TIMEOUT_SECONDS, TimeUnit.SECONDS));
    }
    if (cs.getWriteConcern() == null) {
      settings.writeConcern(WriteConcern.MAJORITY);
    }
    return settings.build();
  }
}
