package app.achievements.bench;

import app.achievements.rules.Conversion;
import app.achievements.rules.ConversionResult;
import app.achievements.rules.Eligibility;
import app.achievements.run.MigrationOptions;
import app.achievements.store.MongoUserStore;
import app.achievements.store.PlannedWrite;
import app.achievements.store.UserQueries;
import com.mongodb.WriteConcern;
import com.mongodb.bulk.BulkWriteResult;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoCursor;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import com.mongodb.client.model.WriteModel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.bson.BsonArray;
import org.bson.BsonDateTime;
import org.bson.BsonDocument;
import org.bson.BsonString;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The benchmark behind the README's numbers: on identical, freshly seeded users in an embedded
 * server that runs as a JVM of its own, it times (1) the tool as a process, end to end; (2) the
 * seed script's algorithm, one {@code updateOne} by {@code _id} per user; (3) the bare write floor,
 * the tool's own guarded bulk writes, built in memory beforehand and sent with the tool's batch
 * size and number of writers, only the writes timed; (4) one server-side {@code updateMany}. Run it
 * with {@code bench/run.sh}.
 */
@Command(
    name = "bench/run.sh",
    mixinStandardHelpOptions = true,
    description = "The tool against the seed's algorithm, the write floor and one updateMany.")
public final class Benchmark implements Callable<Integer> {

  /**
   * One measurement: wall time, the CPU time of the tool's process (-1 for the measurements made
   * inside the benchmark), the server's CPU time meanwhile, and the tool's peak RSS.
   */
  record Result(
      String name,
      double seconds,
      long users,
      double clientCpuSeconds,
      double serverCpuSeconds,
      long peakRssKb) {
    double usersPerSecond() {
      return users / seconds;
    }
  }

  /**
   * A measurement made inside the benchmark, not by the tool's process: its wall time since {@code
   * started} and the server's CPU time since {@code serverCpu}.
   */
  private static Result inside(
      String name, int count, BenchServer server, double serverCpu, long started) {
    return new Result(name, Bench.seconds(started), count, -1, server.cpuSeconds() - serverCpu, -1);
  }

  private static final BulkWriteOptions UNORDERED = new BulkWriteOptions().ordered(false);

  @Spec CommandSpec spec;

  @Option(
      names = "--users",
      paramLabel = "N",
      description = "Users seeded for each measurement (default: 100000).")
  int users = 100_000;

  @Option(
      names = "--batch-size",
      paramLabel = "N",
      description = "The tool's --batch-size (default: 1000).")
  int batchSize = MigrationOptions.DEFAULT_BATCH_SIZE;

  @Option(names = "--writers", paramLabel = "N", description = "The tool's --writers (default: 2).")
  int writers = MigrationOptions.DEFAULT_WRITERS;

  @Option(names = "--heap", paramLabel = "SIZE", description = "The tool's -Xmx (default: 512m).")
  String heap = "512m";

  @Option(
      names = "--jar",
      paramLabel = "FILE",
      description = "The tool (default: target/migrate.jar).")
  Path jar = Path.of("target/migrate.jar");

  @Option(
      names = "--results",
      paramLabel = "DIR",
      description = "Where results go (default: bench/results).")
  Path results = Path.of("bench/results");

  @Option(
      names = "--seed-script",
      paramLabel = "FILE",
      description = "Also time this script, the seed's Python, run by bench/seed_peer.py.")
  String seedScript = "";

  @Option(
      names = "--python",
      paramLabel = "PYTHON",
      description = "The Python for --seed-script (default: python3).")
  String python = "python3";

  @Option(
      names = "--rtt",
      paramLabel = "MS",
      split = ",",
      description =
          "Measure through a delay proxy of each of these round trips, in ms (e.g. 0,1,5,20,50,100):"
              + " a table and a chart of users/s against the round trip.")
  List<Integer> roundTrips = new ArrayList<>();

  @Option(
      names = "--slow-budget",
      paramLabel = "SECONDS",
      description =
          "With --rtt: the per-document measurements (one round trip a user) stop after this long,"
              + " or run on that many users' worth (default: 30).")
  int slowBudget = 30;

  @Option(
      names = "--tool-only",
      description = "With --rtt: measure the tool alone (for trying its options quickly).")
  boolean toolOnly;

  @Option(
      names = "--tool-jvm-options",
      paramLabel = "OPTIONS",
      description = "Also time the tool with these JVM options, space-separated.")
  String toolJvmOptionsText = "";

  private List<String> toolJvmOptions;
  private double helpSeconds;

  public static void main(String[] args) {
    System.exit(new CommandLine(new Benchmark()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    Bench.positive(spec, "--users", users);
    Bench.positive(spec, "--batch-size", batchSize);
    Bench.positive(spec, "--writers", writers);
    String jvmOptions = toolJvmOptionsText.strip();
    toolJvmOptions = jvmOptions.isEmpty() ? List.of() : List.of(jvmOptions.split("\\s+"));
    if (roundTrips.isEmpty()) {
      run();
    } else {
      roundTrips.forEach(rtt -> Bench.positive(spec, "--rtt", rtt + 1)); // 0 and up
      Bench.positive(spec, "--slow-budget", slowBudget);
      new ByRoundTrip(this).run();
    }
    return 0;
  }

  private void run() throws Exception {
    try (BenchServer server = BenchServer.start(jar)) {
      System.out.printf(
          "machine: %s; %d users, batch size %d, %d writers, tool heap %s%n",
          Bench.machine(), users, batchSize, writers, heap);
      warmUp(server);
      helpSeconds = help();
      List<Result> measured = new ArrayList<>();
      measured.add(tool(server, users));
      System.out.printf("tool: %.2f s%n", measured.get(0).seconds());
      measured.add(perDocument(server, users));
      System.out.printf("per-document: %.2f s%n", measured.get(1).seconds());
      measured.add(writeFloor(server, users));
      System.out.printf("write floor: %.2f s%n", measured.get(2).seconds());
      measured.add(updateMany(server, users));
      if (!seedScript.isEmpty()) {
        measured.add(seedScriptItself(server, users));
      }
      if (!toolJvmOptions.isEmpty()) {
        measured.add(tool(server, users, toolJvmOptions));
      }
      report(measured);
    }
  }

  /** {@code java -jar migrate.jar --help}, the median of five: how long an operator waits. */
  private double help() throws IOException, InterruptedException {
    double[] seconds = new double[5];
    for (int i = 0; i < seconds.length; i++) {
      long started = System.nanoTime();
      Process process =
          new ProcessBuilder(Bench.java(), "-jar", jar.toString(), "--help")
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
      if (process.waitFor() != 0) {
        throw new IllegalStateException("--help exited " + process.exitValue());
      }
      seconds[i] = Bench.seconds(started);
    }
    Arrays.sort(seconds);
    return seconds[seconds.length / 2];
  }

  /** Warms the server and this JVM up: each measurement on a tenth of the users, the tool twice. */
  void warmUp(BenchServer server) throws Exception {
    int few = Math.max(1000, users / 10);
    tool(server, few);
    tool(server, few);
    perDocument(server, few);
    writeFloor(server, few);
    updateMany(server, few);
  }

  private Result tool(BenchServer server, int count) throws Exception {
    return tool(server, count, List.of());
  }

  /** The tool, with {@code jvmOptions} besides the heap (none for the table's first row). */
  private Result tool(BenchServer server, int count, List<String> jvmOptions) throws Exception {
    return tool(server, count, jvmOptions, server.uri());
  }

  /** As above, the tool connecting to {@code uri} (the server, or a proxy in front of it). */
  Result tool(BenchServer server, int count, List<String> jvmOptions, String uri) throws Exception {
    server.freshUsers(count);
    double serverCpu = server.cpuSeconds();
    Bench.ToolRun run = Bench.runTool(jar, uri, heap, jvmOptions, batchSize, writers);
    return new Result(
        jvmOptions.isEmpty()
            ? "tool, end to end (process)"
            : "tool, end to end, java " + String.join(" ", jvmOptions),
        run.seconds(),
        count,
        run.cpuSeconds(),
        server.cpuSeconds() - serverCpu,
        run.peakRssKb());
  }

  /**
   * The users the migration writes, with their new v2, built in memory. (Reads ask for batches of
   * 1000: the embedded server otherwise answers a find with every document in one reply.)
   */
  private static List<PlannedWrite> planned(MongoCollection<BsonDocument> collection) {
    Instant runStart = Instant.now();
    List<PlannedWrite> writes = new ArrayList<>();
    for (BsonDocument user : collection.find(UserQueries.candidateFilter()).batchSize(1000)) {
      if (Eligibility.isEligible(user)
          && Conversion.convert(user, runStart) instanceof ConversionResult.Migrate migrate) {
        writes.add(PlannedWrite.migration(user, migrate));
      }
    }
    return writes;
  }

  /** The seed script's algorithm: read, then one updateOne by _id per user. */
  private static Result perDocument(BenchServer server, int count) {
    return perDocument(server, server.users(), count, 0);
  }

  /**
   * As above, on users seeded afresh and reached through {@code through} (the server, or a proxy in
   * front of it); after {@code budgetSeconds} (0: no limit) it stops, and counts the users it got
   * to: at a round trip per user, a far server would take hours.
   */
  static Result perDocument(
      BenchServer server, MongoCollection<BsonDocument> through, int count, int budgetSeconds) {
    server.freshUsers(count);
    double serverCpu = server.cpuSeconds();
    long started = System.nanoTime();
    long stopAt = budgetSeconds == 0 ? Long.MAX_VALUE : started + budgetSeconds * 1_000_000_000L;
    Instant runStart = Instant.now();
    int seen = 0;
    try (MongoCursor<BsonDocument> users =
        through.find(UserQueries.candidateFilter()).batchSize(1000).iterator()) {
      while (users.hasNext() && System.nanoTime() < stopAt) {
        BsonDocument user = users.next();
        seen++;
        if (Eligibility.isEligible(user)
            && Conversion.convert(user, runStart) instanceof ConversionResult.Migrate migrate) {
          through.updateOne(
              Filters.eq("_id", user.get("_id")),
              Updates.set("achievements_v2", migrate.achievementsV2()));
        }
      }
    }
    long candidates = server.users().countDocuments(UserQueries.candidateFilter());
    // users/s over the whole collection, as the other rows count: the share of it got through
    int counted =
        seen >= candidates ? count : (int) ((long) count * seen / Math.max(1, candidates));
    return inside("per-document baseline (seed's algorithm)", counted, server, serverCpu, started);
  }

  /**
   * The tool's guarded updates, every one built in memory first, then sent as the tool sends them
   * (unordered bulk writes of its batch size, as many at once as its writers, write concern
   * majority); only the writes are timed.
   */
  private Result writeFloor(BenchServer server, int count) throws Exception {
    return writeFloor(server, server.users(), count);
  }

  /** As above, the writes sent through {@code through} (the server, or a proxy in front of it). */
  Result writeFloor(BenchServer server, MongoCollection<BsonDocument> through, int count)
      throws Exception {
    server.freshUsers(count);
    MongoCollection<BsonDocument> collection = through.withWriteConcern(WriteConcern.MAJORITY);
    List<PlannedWrite> writes = planned(collection);
    List<List<? extends WriteModel<BsonDocument>>> batches = new ArrayList<>();
    for (int from = 0; from < writes.size(); from += batchSize) {
      batches.add(
          MongoUserStore.updates(writes.subList(from, Math.min(writes.size(), from + batchSize))));
    }
    AtomicInteger next = new AtomicInteger();
    AtomicLong matched = new AtomicLong();
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    try {
      double serverCpu = server.cpuSeconds();
      long started = System.nanoTime();
      List<Future<?>> running = new ArrayList<>();
      for (int i = 0; i < writers; i++) {
        running.add(
            pool.submit(
                () -> {
                  for (int b; (b = next.getAndIncrement()) < batches.size(); ) {
                    BulkWriteResult result = collection.bulkWrite(batches.get(b), UNORDERED);
                    matched.addAndGet(result.getMatchedCount());
                  }
                }));
      }
      for (Future<?> writer : running) {
        writer.get();
      }
      Result floor =
          inside("bare write floor (bulk writes only)", count, server, serverCpu, started);
      if (matched.get() != writes.size()) {
        throw new IllegalStateException(
            "the floor applied " + matched.get() + " of " + writes.size() + " updates");
      }
      return floor;
    } finally {
      pool.shutdown();
    }
  }

  /** One server-side updateMany that sets a v2-sized array on every candidate. */
  private static Result updateMany(BenchServer server, int count) {
    MongoCollection<BsonDocument> collection = server.freshUsers(count);
    BsonArray v2 = new BsonArray();
    for (String id : List.of("first_login", "streak_7", "level_10")) {
      v2.add(
          new BsonDocument("achievementId", new BsonString(id))
              .append("unlockedAt", new BsonDateTime(0)));
    }
    double serverCpu = server.cpuSeconds();
    long started = System.nanoTime();
    collection.updateMany(UserQueries.candidateFilter(), Updates.set("achievements_v2", v2));
    return inside("one updateMany (absolute floor)", count, server, serverCpu, started);
  }

  /**
   * The seed's own Python script (its {@code run_migration}, through {@code bench/seed_peer.py}),
   * answering YES on stdin: the per-document peer an operator would compare against.
   */
  private Result seedScriptItself(BenchServer server, int count) throws Exception {
    return seedScriptItself(server, count, server.uri());
  }

  /** As above, the script connecting to {@code uri} (the server, or a proxy in front of it). */
  Result seedScriptItself(BenchServer server, int count, String uri) throws Exception {
    server.freshUsers(count);
    double serverCpu = server.cpuSeconds();
    long started = System.nanoTime();
    Process script =
        new ProcessBuilder(python, "bench/seed_peer.py", seedScript, uri, BenchServer.DATABASE)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    try (var stdin = script.getOutputStream()) {
      stdin.write("YES\n".getBytes(StandardCharsets.UTF_8));
    }
    int exit = script.waitFor();
    Result peer =
        inside("the seed script itself (Python, pymongo)", count, server, serverCpu, started);
    long migrated = server.users().countDocuments(Filters.exists("achievements_v2"));
    // It reports errors for the users it cannot convert (exit 1) but must have run through.
    if (exit > 1 || migrated == 0) {
      throw new IllegalStateException(
          "the seed script exited " + exit + ", " + migrated + " with v2");
    }
    return peer;
  }

  private void report(List<Result> measured) throws IOException {
    Result tool = measured.get(0);
    Result perDocument = measured.get(1);
    Result floor = measured.get(2);
    StringBuilder markdown = new StringBuilder();
    markdown.append(
        String.format(
            Locale.ROOT,
            "%d users, batch size %d, %d writers, tool heap %s; %s; %s%n%n",
            users,
            batchSize,
            writers,
            heap,
            Bench.machine(),
            Instant.now()));
    markdown.append(
        "| measurement | seconds | users/s | tool ÷ this | tool process CPU s | server CPU s"
            + " | peak RSS |\n");
    markdown.append("|---|---|---|---|---|---|---|\n");
    StringBuilder json =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "{\"users\": %d, \"batchSize\": %d, \"writers\": %d, \"heap\": \"%s\","
                    + " \"machine\": \"%s\", \"results\": [",
                users,
                batchSize,
                writers,
                heap,
                Bench.machine()));
    for (int i = 0; i < measured.size(); i++) {
      Result r = measured.get(i);
      String rss = r.peakRssKb() < 0 ? "" : (r.peakRssKb() / 1024) + " MB";
      markdown.append(
          String.format(
              Locale.ROOT,
              "| %s | %.2f | %.0f | %.2f | %s | %s | %s |%n",
              r.name(),
              r.seconds(),
              r.usersPerSecond(),
              tool.seconds() / r.seconds(),
              r.clientCpuSeconds() < 0
                  ? ""
                  : String.format(Locale.ROOT, "%.1f", r.clientCpuSeconds()),
              r.serverCpuSeconds() < 0
                  ? ""
                  : String.format(Locale.ROOT, "%.1f", r.serverCpuSeconds()),
              rss));
      json.append(i == 0 ? "" : ", ")
          .append(
              String.format(
                  Locale.ROOT,
                  "{\"name\": \"%s\", \"seconds\": %.3f, \"usersPerSecond\": %.1f,"
                      + " \"toolCpuSeconds\": %.2f, \"serverCpuSeconds\": %.2f,"
                      + " \"peakRssKb\": %d}",
                  r.name(),
                  r.seconds(),
                  r.usersPerSecond(),
                  r.clientCpuSeconds(),
                  r.serverCpuSeconds(),
                  r.peakRssKb()));
    }
    json.append("]}\n");
    markdown.append(
        String.format(
            Locale.ROOT,
            "%nTargets: tool ÷ write floor %.2f (≤ 1.3: %s); per-document ÷ tool %.2f (≥ 4: %s);"
                + " tool peak RSS %d MB; --help %.2f s (median of 5).%n",
            tool.seconds() / floor.seconds(),
            tool.seconds() / floor.seconds() <= 1.3 ? "met" : "missed",
            perDocument.seconds() / tool.seconds(),
            perDocument.seconds() / tool.seconds() >= 4 ? "met" : "missed",
            tool.peakRssKb() / 1024,
            helpSeconds));
    System.out.println();
    System.out.print(markdown);
    Files.createDirectories(results);
    String name = users + "-users-" + heap;
    for (String file : List.of("latest", name)) {
      Files.writeString(results.resolve(file + ".md"), markdown.toString());
      Files.writeString(results.resolve(file + ".json"), json.toString());
    }
    System.out.println(
        "\nwritten: " + results.resolve("latest.md") + ", " + results.resolve(name + ".md"));
  }
}
