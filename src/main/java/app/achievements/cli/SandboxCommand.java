package app.achievements.cli;

import app.achievements.embedded.EmbeddedMongo;
import app.achievements.embedded.SampleUsers;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.bson.BsonDocument;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code migrate.jar sandbox}: serves seeded sample users from an embedded server until Ctrl-C, so
 * that every real command can be tried against it from another terminal.
 */
@Command(
    name = "sandbox",
    mixinStandardHelpOptions = true,
    versionProvider = ManifestVersionProvider.class,
    description =
        "Serves sample users from an embedded, in-memory MongoDB on 127.0.0.1 until Ctrl-C.")
final class SandboxCommand implements Callable<Integer> {

  static final String DATABASE = "sandbox";

  @Spec CommandSpec spec;

  @Option(
      names = "--port",
      paramLabel = "PORT",
      defaultValue = "27017",
      description = "Port on 127.0.0.1 (default: ${DEFAULT-VALUE}; 0 takes a free one).")
  int port;

  @Mixin SampleOptions sample;

  @Override
  public Integer call() {
    if (port < 0 || port > 65535) {
      throw new ParameterException(spec.commandLine(), "--port must be 0 to 65535, not " + port);
    }
    int users = sample.users();
    EmbeddedMongo server = start();
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook =
        new Thread(
            () -> {
              server.close();
              stopped.countDown();
            });
    Runtime.getRuntime().addShutdownHook(hook);
    try (MongoClient client = MongoClients.create(server.connectionString())) {
      SampleUsers.insert(
          client.getDatabase(DATABASE).getCollection("users", BsonDocument.class),
          users,
          DemoCommand.SEED);
    }
    PrintWriter out = spec.commandLine().getOut();
    String uri = server.connectionString();
    out.printf("Sandbox: %d sample users in %s.users on %s%n", users, DATABASE, uri);
    out.println("Try, from another terminal:");
    out.printf("  java -jar target/migrate.jar --uri %s -d %s --dry-run%n", uri, DATABASE);
    out.printf("  java -jar target/migrate.jar --uri %s -d %s%n", uri, DATABASE);
    out.println("Press Ctrl-C to stop; the data lives in memory only.");
    out.flush();
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      server.close();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running: it stops the server itself
      }
    }
    out.println("Sandbox stopped.");
    out.flush();
    return ExitCodes.OK;
  }

  private EmbeddedMongo start() {
    try {
      return EmbeddedMongo.start(port);
    } catch (Exception e) { // Netty rethrows the checked BindException unchecked
      throw new ParameterException(
          spec.commandLine(),
          "cannot listen on 127.0.0.1:"
              + port
              + " ("
              + e.getMessage()
              + "); choose another --port");
    }
  }
}
