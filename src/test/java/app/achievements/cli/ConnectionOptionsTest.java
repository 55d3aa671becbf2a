package app.achievements.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.MongoClientSettings;
import com.mongodb.WriteConcern;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The client settings the tool chooses where the URI is silent, and keeps where it is not. */
class ConnectionOptionsTest {

  /** The connections a run with the default writers opens ahead: its widest window and 3. */
  private static final int AHEAD = 11;

  private static MongoClientSettings settings(String uri, String... more) {
    CommandLine commandLine = Main.commandLine(new Context(System.in, Clock.systemUTC(), Map.of()));
    List<String> args = new ArrayList<>(List.of("--uri", uri, "-d", "app"));
    args.addAll(List.of(more));
    commandLine.parseArgs(args.toArray(String[]::new));
    MigrateCommand command = commandLine.getCommand();
    return command.connection.settings(command.writing.writeConcern(), AHEAD);
  }

  @Test
  void onlyTheCommandsThatWriteTakeAWriteConcern() {
    for (String command : List.of("verify", "history")) {
      CommandLine commandLine =
          Main.commandLine(new Context(System.in, Clock.systemUTC(), Map.of()));
      Assertions.assertThatThrownBy(
              () -> commandLine.parseArgs(command, "-d", "app", "--write-concern", "1"))
          .isInstanceOf(CommandLine.UnmatchedArgumentException.class)
          .hasMessage("Unknown options: '--write-concern', '1'");
    }
    CommandLine rollback = Main.commandLine(new Context(System.in, Clock.systemUTC(), Map.of()));
    rollback.parseArgs("rollback", "-d", "app", "--write-concern", "1");
  }

  @Test
  void writeConcernOptionWinsOverTheUri() {
    assertThat(settings("mongodb://h/?w=1", "--write-concern", "majority").getWriteConcern())
        .isEqualTo(WriteConcern.MAJORITY.withWTimeout(30, TimeUnit.SECONDS));
    assertThat(settings("mongodb://h", "--write-concern", "2").getWriteConcern())
        .isEqualTo(new WriteConcern(2).withWTimeout(30, TimeUnit.SECONDS));
    for (String bad : List.of("0", "-1", "all")) {
      Assertions.assertThatThrownBy(() -> settings("mongodb://h", "--write-concern", bad))
          .isInstanceOf(CommandLine.ParameterException.class)
          .hasMessage("--write-concern must be majority or a number of 1 or more, not " + bad);
    }
  }

  @Test
  void majorityWritesAndTenSecondTimeoutsByDefault() {
    MongoClientSettings settings = settings("mongodb://db.example.com");
    assertThat(settings.getWriteConcern())
        .isEqualTo(WriteConcern.MAJORITY.withWTimeout(30, TimeUnit.SECONDS));
    assertThat(settings.getClusterSettings().getServerSelectionTimeout(TimeUnit.MILLISECONDS))
        .isEqualTo(10_000);
    assertThat(settings.getSocketSettings().getConnectTimeout(TimeUnit.MILLISECONDS))
        .isEqualTo(10_000);
    assertThat(settings.getApplicationName()).isEqualTo("achievements-migrate");
  }

  /** No wait without a deadline: a silent socket, a pool, a lost majority all give up. */
  @Test
  void everyWaitHasTheOperationTimeoutAsItsDeadline() {
    MongoClientSettings settings = settings("mongodb://db.example.com", "--operation-timeout", "7");
    assertThat(settings.getSocketSettings().getReadTimeout(TimeUnit.MILLISECONDS)).isEqualTo(8_400);
    assertThat(settings.getConnectionPoolSettings().getMaxWaitTime(TimeUnit.MILLISECONDS))
        .isEqualTo(7_000);
    assertThat(settings.getWriteConcern())
        .isEqualTo(WriteConcern.MAJORITY.withWTimeout(7, TimeUnit.SECONDS));
    assertThat(settings("mongodb://h").getSocketSettings().getReadTimeout(TimeUnit.SECONDS))
        .isEqualTo(36);
    // an infinite socket timeout in the URI is no deadline: the option's stands
    assertThat(
            settings("mongodb://h/?socketTimeoutMS=0")
                .getSocketSettings()
                .getReadTimeout(TimeUnit.SECONDS))
        .isEqualTo(36);
  }

  @Test
  void theUrisOwnFiniteTimeoutsWin() {
    MongoClientSettings settings =
        settings("mongodb://h/?socketTimeoutMS=4000&wtimeoutMS=3000&waitQueueTimeoutMS=2000");
    assertThat(settings.getSocketSettings().getReadTimeout(TimeUnit.MILLISECONDS)).isEqualTo(4000);
    assertThat(settings.getWriteConcern().getWTimeout(TimeUnit.MILLISECONDS)).isEqualTo(3000);
    assertThat(settings.getConnectionPoolSettings().getMaxWaitTime(TimeUnit.MILLISECONDS))
        .isEqualTo(2000);
  }

  /** A connection opened on a run's way costs round trips far from the server: opened ahead. */
  @Test
  void theConnectionsOfARunAreOpenedAheadUnlessTheUriSaysHowMany() {
    assertThat(settings("mongodb://h").getConnectionPoolSettings().getMinSize()).isEqualTo(AHEAD);
    assertThat(settings("mongodb://h/?minPoolSize=0").getConnectionPoolSettings().getMinSize())
        .isZero();
    // never more than the URI's pool holds; the driver takes none ahead of a pool of no limit (0)
    assertThat(settings("mongodb://h/?maxPoolSize=6").getConnectionPoolSettings().getMinSize())
        .isEqualTo(6);
    assertThat(settings("mongodb://h/?maxPoolSize=0").getConnectionPoolSettings().getMinSize())
        .isZero();
  }

  /** The driver refuses such a pool with an IllegalStateException: said as a usage error. */
  @Test
  void aMinPoolSizeAboveTheMaxPoolSizeIsAUsageError() {
    Assertions.assertThatThrownBy(() -> settings("mongodb://h/?minPoolSize=5&maxPoolSize=2"))
        .isInstanceOf(CommandLine.ParameterException.class)
        .hasMessage("the connection string's minPoolSize (5) is above its maxPoolSize (2)");
    Assertions.assertThatThrownBy(() -> settings("mongodb://h/?minPoolSize=150"))
        .isInstanceOf(CommandLine.ParameterException.class)
        .hasMessage(
            "the connection string's minPoolSize (150) is above its maxPoolSize (100, the"
                + " driver's default)");
    assertThat(
            settings("mongodb://h/?minPoolSize=5&maxPoolSize=5")
                .getConnectionPoolSettings()
                .getMinSize())
        .isEqualTo(5);
  }

  /**
   * The round trip that widens a run's window needs two heartbeats: one a second, not the driver's
   * one in ten, unless the URI says.
   */
  @Test
  void theRoundTripIsMeasuredEverySecondUnlessTheUriSays() {
    assertThat(settings("mongodb://h").getServerSettings().getHeartbeatFrequency(TimeUnit.SECONDS))
        .isEqualTo(1);
    assertThat(
            settings("mongodb://h/?heartbeatFrequencyMS=30000")
                .getServerSettings()
                .getHeartbeatFrequency(TimeUnit.SECONDS))
        .isEqualTo(30);
  }

  @Test
  void anOperationTimeoutOutOfRangeOrTheDriversExperimentalOneIsAUsageError() {
    for (String bad : List.of("0", "-5", "3601")) {
      Assertions.assertThatThrownBy(() -> settings("mongodb://h", "--operation-timeout", bad))
          .isInstanceOf(CommandLine.ParameterException.class)
          .hasMessage("--operation-timeout must be 1 to 3600 seconds, not " + bad);
    }
    Assertions.assertThatThrownBy(() -> settings("mongodb://h/?timeoutMS=500"))
        .isInstanceOf(CommandLine.ParameterException.class)
        .hasMessage(
            "timeoutMS in the connection string is not supported (the driver's client-side"
                + " operation timeout is experimental): use --operation-timeout");
  }

  /**
   * One attempt is bounded by the operation timeout in each of its phases, and there is only the
   * tool's own retry of it: the driver's would add attempts outside --retry-timeout.
   */
  @Test
  void noAttemptOutlastsTheOperationTimeoutByMuchAndTheDriverRetriesNothingItself() {
    MongoClientSettings settings = settings("mongodb://h", "--operation-timeout", "3");
    assertThat(settings.getClusterSettings().getServerSelectionTimeout(TimeUnit.MILLISECONDS))
        .isEqualTo(3000);
    assertThat(settings.getSocketSettings().getConnectTimeout(TimeUnit.MILLISECONDS))
        .isEqualTo(3000);
    assertThat(settings.getSocketSettings().getReadTimeout(TimeUnit.MILLISECONDS)).isEqualTo(4000);
    assertThat(settings.getRetryReads()).isFalse();
    assertThat(settings.getRetryWrites()).isFalse();
    MongoClientSettings defaults = settings("mongodb://h");
    assertThat(defaults.getClusterSettings().getServerSelectionTimeout(TimeUnit.SECONDS))
        .isEqualTo(10);
    MongoClientSettings asked = settings("mongodb://h/?retryWrites=true&retryReads=true");
    assertThat(asked.getRetryReads()).isTrue();
    assertThat(asked.getRetryWrites()).isTrue();
  }

  @Test
  void theUriWins() {
    MongoClientSettings settings =
        settings("mongodb://db.example.com/?w=1&serverSelectionTimeoutMS=500&connectTimeoutMS=700");
    assertThat(settings.getWriteConcern())
        .isEqualTo(WriteConcern.W1.withWTimeout(30, TimeUnit.SECONDS));
    assertThat(settings.getClusterSettings().getServerSelectionTimeout(TimeUnit.MILLISECONDS))
        .isEqualTo(500);
    assertThat(settings.getSocketSettings().getConnectTimeout(TimeUnit.MILLISECONDS))
        .isEqualTo(700);
  }

  @Test
  void redactsPasswordsOnly() {
    assertThat(Redaction.redact("mongodb://ann:s3cr%40t@h1,h2/db?authSource=admin"))
        .isEqualTo("mongodb://ann:***@h1,h2/db?authSource=admin");
    assertThat(Redaction.redact("mongodb+srv://ann:pw@cluster.example.com"))
        .isEqualTo("mongodb+srv://ann:***@cluster.example.com");
    assertThat(Redaction.redact("mongodb://ann@h1/db")).isEqualTo("mongodb://ann@h1/db");
    assertThat(Redaction.redact("mongodb://h1:27017/db")).isEqualTo("mongodb://h1:27017/db");
  }
}
