package app.achievements.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.MongoClientSettings;
import com.mongodb.WriteConcern;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The client settings the tool chooses where the URI is silent, and keeps where it is not. */
class ConnectionOptionsTest {

  private static MongoClientSettings settings(String uri, String... more) {
    MigrateCommand command =
        new MigrateCommand(new Context(System.in, java.time.Clock.systemUTC(), java.util.Map.of()));
    java.util.List<String> args =
        new java.util.ArrayList<>(java.util.List.of("--uri", uri, "-d", "app"));
    args.addAll(java.util.List.of(more));
    new CommandLine(command).parseArgs(args.toArray(String[]::new));
    return command.connection.settings();
  }

  @Test
  void writeConcernOptionWinsOverTheUri() {
    assertThat(settings("mongodb://h/?w=1", "--write-concern", "majority").getWriteConcern())
        .isEqualTo(WriteConcern.MAJORITY);
    assertThat(settings("mongodb://h", "--write-concern", "2").getWriteConcern())
        .isEqualTo(new WriteConcern(2));
    for (String bad : java.util.List.of("0", "-1", "all")) {
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () -> settings("mongodb://h", "--write-concern", bad))
          .isInstanceOf(CommandLine.ParameterException.class)
          .hasMessage("--write-concern must be majority or a number of 1 or more, not " + bad);
    }
  }

  @Test
  void majorityWritesAndTenSecondTimeoutsByDefault() {
    MongoClientSettings settings = settings("mongodb://db.example.com");
    assertThat(settings.getWriteConcern()).isEqualTo(WriteConcern.MAJORITY);
    assertThat(settings.getClusterSettings().getServerSelectionTimeout(TimeUnit.MILLISECONDS))
        .isEqualTo(10_000);
    assertThat(settings.getSocketSettings().getConnectTimeout(TimeUnit.MILLISECONDS))
        .isEqualTo(10_000);
    assertThat(settings.getApplicationName()).isEqualTo("achievements-migrate");
  }

  @Test
  void theUriWins() {
    MongoClientSettings settings =
        settings("mongodb://db.example.com/?w=1&serverSelectionTimeoutMS=500&connectTimeoutMS=700");
    assertThat(settings.getWriteConcern()).isEqualTo(WriteConcern.W1);
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
