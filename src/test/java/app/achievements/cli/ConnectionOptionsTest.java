package app.achievements.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.MongoClientSettings;
import com.mongodb.WriteConcern;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The client settings the tool chooses where the URI is silent, and keeps where it is not. */
class ConnectionOptionsTest {

  private static MongoClientSettings settings(String uri) {
    MigrateCommand command =
        new MigrateCommand(new Context(System.in, java.time.Clock.systemUTC(), java.util.Map.of()));
    new CommandLine(command).parseArgs("--uri", uri, "-d", "app");
    return command.connection.settings();
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
