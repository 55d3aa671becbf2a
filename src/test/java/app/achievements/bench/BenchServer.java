package app.achievements.bench;

import app.achievements.embedded.SampleUsers;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.bson.BsonDocument;

/**
 * The embedded server (the jar's {@code sandbox}, with its {@code _id}-index fix) in a JVM of its
 * own, as the benchmarks' MongoDB; a client to seed it with identical sample users.
 */
final class BenchServer implements AutoCloseable {

  static final String DATABASE = "bench";
  private static final long SEED = 42;

  private final Process process;
  private final String uri;
  private final MongoClient client;

  private BenchServer(Process process, String uri) {
    this.process = process;
    this.uri = uri;
    this.client = MongoClients.create(uri);
  }

  static BenchServer start(Path jar) throws IOException {
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    Process process =
        new ProcessBuilder(
                Bench.java(),
                "-jar",
                jar.toString(),
                "sandbox",
                "--port",
                Integer.toString(port),
                "--users",
                "1")
            .redirectErrorStream(true)
            .start();
    try {
      awaitReady(process);
    } catch (IOException | RuntimeException e) {
      process.destroy();
      throw e;
    }
    return new BenchServer(process, "mongodb://127.0.0.1:" + port);
  }

  private static void awaitReady(Process server) throws IOException {
    BufferedReader lines =
        new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
    for (String line; (line = lines.readLine()) != null; ) {
      if (line.startsWith("Try")) {
        Thread drain =
            new Thread(
                () -> {
                  try {
                    lines.lines().forEach(l -> {});
                  } catch (UncheckedIOException closed) {
                    // the server stopped
                  }
                });
        drain.setDaemon(true);
        drain.start();
        return;
      }
    }
    throw new IllegalStateException("the embedded server did not start");
  }

  String uri() {
    return uri;
  }

  /** The port the server listens on, for a proxy in front of it. */
  int port() {
    return Integer.parseInt(uri.substring(uri.lastIndexOf(':') + 1));
  }

  /**
   * The CPU time the server's process has used so far (user + system), from /proc; -1 where there
   * is none. Read before and after a measurement, it tells how busy the server was.
   */
  double cpuSeconds() {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
      // the fields after the command name, which is in parentheses and may hold spaces
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime
      return ticks / (double) CLOCK_TICKS;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** Linux's USER_HZ: the unit of /proc's CPU times, 100 on every common build. */
  private static final int CLOCK_TICKS = 100;

  /** {@code bench.users}. */
  MongoCollection<BsonDocument> users() {
    return client.getDatabase(DATABASE).getCollection("users", BsonDocument.class);
  }

  /**
   * {@code bench.users}, dropped and seeded with the same {@code count} sample users every time.
   */
  MongoCollection<BsonDocument> freshUsers(int count) {
    MongoCollection<BsonDocument> users = users();
    users.drop();
    SampleUsers.insert(users, count, SEED);
    collectGarbage();
    return users;
  }

  /**
   * A full collection in the server's JVM ({@code jcmd <pid> GC.run}), so that no measurement pays
   * for the garbage of the ones before it (dropped collections, the seeding).
   */
  private void collectGarbage() {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    if (!Files.isExecutable(jcmd)) {
      return;
    }
    try {
      new ProcessBuilder(jcmd.toString(), Long.toString(process.pid()), "GC.run")
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .redirectError(ProcessBuilder.Redirect.DISCARD)
          .start()
          .waitFor(60, TimeUnit.SECONDS);
    } catch (IOException e) {
      // no jcmd after all: measure without it
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() throws InterruptedException {
    client.close();
    process.destroy();
    process.waitFor(10, TimeUnit.SECONDS);
  }
}
