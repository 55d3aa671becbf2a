package app.achievements.bench;

import app.achievements.embedded.SampleUsers;
import app.achievements.migration.Conversion;
import app.achievements.migration.ConversionResult;
import app.achievements.migration.Eligibility;
import app.achievements.migration.MongoUserStore;
import app.achievements.migration.PlannedWrite;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.bson.BsonArray;
import org.bson.BsonDateTime;
import org.bson.BsonDocument;
import org.bson.BsonString;

/**
 * The benchmark behind the README's numbers: on identical, freshly seeded users in an embedded
 * server that runs as a JVM of its own, it times (1) the tool as a process, end to end; (2) the
 * seed script's algorithm, one {@code updateOne} by {@code _id} per user; (3) the bare write floor,
 * the tool's own guarded bulk writes of updates built in memory beforehand; (4) one server-side
 * {@code updateMany}. Run it with {@code bench/run.sh}.
 */
public final class Benchmark {

  private static final long SEED = 42;

  /** One measurement. */
  record Result(String name, double seconds, long users, long peakRssKb) {
    double usersPerSecond() {
      return users / seconds;
    }
  }

  private final Path jar;
  private final int users;
  private final int batchSize;
  private final String heap;
  private final Path results;
  private String uri;
  private MongoClient client;

  private Benchmark(Path jar, int users, int batchSize, String heap, Path results) {
    this.jar = jar;
    this.users = users;
    this.batchSize = batchSize;
    this.heap = heap;
    this.results = results;
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> options = new LinkedHashMap<>();
    options.put("--users", "100000");
    options.put("--batch-size", "1000");
    options.put("--heap", "512m");
    options.put("--jar", "target/migrate.jar");
    options.put("--results", "bench/results");
    for (int i = 0; i + 1 < args.length; i += 2) {
      if (!options.containsKey(args[i])) {
        System.err.println("unknown option " + args[i] + "; options: " + options.keySet());
        System.exit(2);
      }
      options.put(args[i], args[i + 1]);
    }
    new Benchmark(
            Path.of(options.get("--jar")),
            Integer.parseInt(options.get("--users")),
            Integer.parseInt(options.get("--batch-size")),
            options.get("--heap"),
            Path.of(options.get("--results")))
        .run();
  }

  private void run() throws Exception {
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    Process server =
        new ProcessBuilder(
                java(),
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
      awaitReady(server);
      uri = "mongodb://127.0.0.1:" + port;
      client = MongoClients.create(uri);
      System.out.printf(
          "machine: %d cores, %s; users: %d; batch size %d; tool heap %s%n",
          Runtime.getRuntime().availableProcessors(),
          System.getProperty("java.vm.name") + " " + System.getProperty("java.version"),
          users,
          batchSize,
          heap);
      warmUp();
      List<Result> measured = new ArrayList<>();
      measured.add(tool());
      measured.add(perDocument());
      measured.add(writeFloor());
      measured.add(updateMany());
      report(measured);
    } finally {
      if (client != null) {
        client.close();
      }
      server.destroy();
      server.waitFor(10, TimeUnit.SECONDS);
    }
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
                  } catch (java.io.UncheckedIOException closed) {
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

  private MongoCollection<BsonDocument> freshUsers(int count) {
    MongoCollection<BsonDocument> collection =
        client.getDatabase("bench").getCollection("users", BsonDocument.class);
    collection.drop();
    SampleUsers.insert(collection, count, SEED);
    return collection;
  }

  /** Warms the server up: the same work, on a tenth of the users, twice. */
  private void warmUp() throws Exception {
    int saved = users;
    for (int i = 0; i < 2; i++) {
      freshUsers(Math.max(1000, saved / 10));
      runTool();
    }
  }

  private Result tool() throws Exception {
    freshUsers(users);
    return runTool();
  }

  private Result runTool() throws Exception {
    Path rss = Files.createTempFile("bench-rss", ".txt");
    List<String> command = new ArrayList<>();
    boolean timed = Files.isExecutable(Path.of("/usr/bin/time"));
    if (timed) {
      command.addAll(List.of("/usr/bin/time", "-f", "%M", "-o", rss.toString()));
    }
    command.addAll(
        List.of(
            java(),
            "-Xmx" + heap,
            "-jar",
            jar.toString(),
            "--uri",
            uri,
            "-d",
            "bench",
            "--yes",
            "--quiet",
            "--batch-size",
            Integer.toString(batchSize)));
    long started = System.nanoTime();
    Process process =
        new ProcessBuilder(command)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    int exit = process.waitFor();
    double seconds = (System.nanoTime() - started) / 1e9;
    if (exit != 0 && exit != 3) {
      throw new IllegalStateException("the tool exited " + exit);
    }
    long peak =
        timed
            ? Long.parseLong(Files.readString(rss).strip().lines().reduce((a, b) -> b).orElse("-1"))
            : -1;
    return new Result("tool, end to end (process)", seconds, users, peak);
  }

  /** The users the migration writes, with their new v2, built in memory. */
  private List<PlannedWrite> planned(MongoCollection<BsonDocument> collection) {
    Instant runStart = Instant.now();
    List<PlannedWrite> writes = new ArrayList<>();
    for (BsonDocument user : collection.find(Eligibility.candidateFilter())) {
      if (Eligibility.isEligible(user)
          && Conversion.convert(user, runStart) instanceof ConversionResult.Migrate migrate) {
        writes.add(new PlannedWrite(user, migrate.achievementsV2(), migrate.notes()));
      }
    }
    return writes;
  }

  /** The seed script's algorithm: read, then one updateOne by _id per user. */
  private Result perDocument() {
    MongoCollection<BsonDocument> collection = freshUsers(users);
    long started = System.nanoTime();
    Instant runStart = Instant.now();
    for (BsonDocument user : collection.find(Eligibility.candidateFilter())) {
      if (Eligibility.isEligible(user)
          && Conversion.convert(user, runStart) instanceof ConversionResult.Migrate migrate) {
        collection.updateOne(
            Filters.eq("_id", user.get("_id")),
            Updates.set("achievements_v2", migrate.achievementsV2()));
      }
    }
    return new Result("per-document baseline (seed's algorithm)", seconds(started), users, -1);
  }

  /** Only the tool's guarded bulk writes, their updates built beforehand. */
  private Result writeFloor() {
    MongoCollection<BsonDocument> collection = freshUsers(users);
    List<PlannedWrite> writes = planned(collection);
    MongoUserStore store = new MongoUserStore(collection);
    long started = System.nanoTime();
    for (int from = 0; from < writes.size(); from += batchSize) {
      store.write(writes.subList(from, Math.min(writes.size(), from + batchSize)));
    }
    return new Result("bare write floor (bulk writes only)", seconds(started), users, -1);
  }

  /** One server-side updateMany that sets a v2-sized array on every candidate. */
  private Result updateMany() {
    MongoCollection<BsonDocument> collection = freshUsers(users);
    BsonArray v2 = new BsonArray();
    for (String id : List.of("first_login", "streak_7", "level_10")) {
      v2.add(
          new BsonDocument("achievementId", new BsonString(id))
              .append("unlockedAt", new BsonDateTime(0)));
    }
    long started = System.nanoTime();
    collection.updateMany(Eligibility.candidateFilter(), Updates.set("achievements_v2", v2));
    return new Result("one updateMany (absolute floor)", seconds(started), users, -1);
  }

  private static double seconds(long startedNanos) {
    return (System.nanoTime() - startedNanos) / 1e9;
  }

  private void report(List<Result> measured) throws IOException {
    Result tool = measured.get(0);
    StringBuilder markdown = new StringBuilder();
    markdown.append(
        String.format(
            Locale.ROOT,
            "%d users, batch size %d, %d cores, %s %s, %s%n%n",
            users,
            batchSize,
            Runtime.getRuntime().availableProcessors(),
            System.getProperty("java.vm.name"),
            System.getProperty("java.version"),
            Instant.now()));
    markdown.append("| measurement | seconds | users/s | tool ÷ this | peak RSS |\n");
    markdown.append("|---|---|---|---|---|\n");
    StringBuilder json =
        new StringBuilder(
            "{\"users\": " + users + ", \"batchSize\": " + batchSize + ", \"results\": [");
    for (int i = 0; i < measured.size(); i++) {
      Result r = measured.get(i);
      String rss = r.peakRssKb() < 0 ? "" : (r.peakRssKb() / 1024) + " MB";
      markdown.append(
          String.format(
              Locale.ROOT,
              "| %s | %.2f | %.0f | %.2f | %s |%n",
              r.name(),
              r.seconds(),
              r.usersPerSecond(),
              tool.seconds() / r.seconds(),
              rss));
      json.append(i == 0 ? "" : ", ")
          .append(
              String.format(
                  Locale.ROOT,
                  "{\"name\": \"%s\", \"seconds\": %.3f, \"usersPerSecond\": %.1f, \"peakRssKb\": %d}",
                  r.name(),
                  r.seconds(),
                  r.usersPerSecond(),
                  r.peakRssKb()));
    }
    json.append("]}\n");
    System.out.println();
    System.out.print(markdown);
    Files.createDirectories(results);
    Files.writeString(results.resolve("latest.md"), markdown.toString());
    Files.writeString(results.resolve("latest.json"), json.toString());
    System.out.println(
        "\nwritten: " + results.resolve("latest.md") + ", " + results.resolve("latest.json"));
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
