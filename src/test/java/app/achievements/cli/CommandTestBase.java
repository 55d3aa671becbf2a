package app.achievements.cli;

import app.achievements.support.TestMongo;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.bson.BsonDocument;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Runs the command line in-process against the embedded server, with a database of its own per
 * test, and keeps what it printed.
 */
abstract class CommandTestBase {

  private static final AtomicInteger DATABASES = new AtomicInteger();
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-02T03:04:05.678Z"), ZoneOffset.UTC);

  final StringWriter out = new StringWriter();
  final StringWriter err = new StringWriter();
  MongoDatabase database;
  MongoCollection<BsonDocument> users;

  @BeforeEach
  void freshDatabase() {
    database =
        TestMongo.client()
            .getDatabase("cli_" + getClass().getSimpleName() + "_" + DATABASES.incrementAndGet());
    users = database.getCollection("users", BsonDocument.class);
  }

  @AfterEach
  void dropDatabase() {
    database.drop();
  }

  int run(String stdin, String... args) {
    return runWith(Map.of(), stdin, args);
  }

  int runWith(Map<String, String> env, String stdin, String... args) {
    return runWith(CLOCK, env, stdin, args);
  }

  int runWith(Clock clock, Map<String, String> env, String stdin, String... args) {
    out.getBuffer().setLength(0);
    err.getBuffer().setLength(0);
    Context context =
        new Context(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), clock, env);
    return Main.commandLine(context, new PrintWriter(out, true), new PrintWriter(err, true))
        .execute(args);
  }

  String[] against(String... args) {
    return TestMongo.against(database.getName(), args);
  }

  /** {@code command} (a subcommand), then {@link #against} {@code args}. */
  String[] sub(String command, String... args) {
    List<String> all = new ArrayList<>(List.of(command));
    all.addAll(List.of(against(args)));
    return all.toArray(String[]::new);
  }

  List<String> snapshot() {
    return TestMongo.bytes(users);
  }
}
