package app.achievements.bench;

import app.achievements.bench.Benchmark.Result;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.bson.BsonDocument;

/**
 * {@code bench/run.sh --rtt 0,1,5,20,50,100}: the tool, the per-document baseline, the bare write
 * floor and (with {@code --seed-script}) the seed's own script, each through a {@link DelayProxy}
 * of every round trip, as an operator runs them from a bastion, a CI runner or a laptop: a table
 * and a chart of users/s against the round trip.
 *
 * <p>The per-document measurements make a round trip a user, so a far server would keep them for
 * hours: the baseline stops after {@code --slow-budget} seconds and counts the users it got to, and
 * the seed's script runs on as many users as it can do in about that time. users/s stays
 * comparable: every row counts the users it went through, of the same sample.
 */
final class ByRoundTrip {

  /**
   * One round trip's measurements; {@code seed} is null without {@code --seed-script}, and the
   * baselines are null with {@code --tool-only} (not measured: no number is shown for them).
   */
  record Row(int roundTripMs, Result tool, Result perDocument, Result floor, Result seed) {}

  private final Benchmark benchmark;

  ByRoundTrip(Benchmark benchmark) {
    this.benchmark = benchmark;
  }

  void run() throws Exception {
    try (BenchServer server = BenchServer.start(benchmark.jar)) {
      System.out.printf(
          "machine: %s; %d users, batch size %d, %d writers, tool heap %s, round trips %s ms%n",
          Bench.machine(),
          benchmark.users,
          benchmark.batchSize,
          benchmark.writers,
          benchmark.heap,
          benchmark.roundTrips);
      benchmark.warmUp(server);
      List<Row> rows = new ArrayList<>();
      for (int roundTrip : benchmark.roundTrips) {
        rows.add(measure(server, roundTrip));
        Row row = rows.get(rows.size() - 1);
        System.out.printf(
            Locale.ROOT,
            "%d ms: tool %.0f users/s%s%s%s%n",
            roundTrip,
            row.tool().usersPerSecond(),
            row.perDocument() == null ? "" : ", per-document " + usersPerSecond(row.perDocument()),
            row.floor() == null ? "" : ", floor " + usersPerSecond(row.floor()),
            row.seed() == null ? "" : ", seed script " + usersPerSecond(row.seed()));
      }
      report(rows);
    }
  }

  private Row measure(BenchServer server, int roundTrip) throws Exception {
    try (DelayProxy proxy = new DelayProxy(server.port(), Duration.ofMillis(roundTrip));
        MongoClient client = MongoClients.create(proxy.uri())) {
      MongoCollection<BsonDocument> through =
          client.getDatabase(BenchServer.DATABASE).getCollection("users", BsonDocument.class);
      int users = benchmark.users;
      Result tool = benchmark.tool(server, users, List.of(), proxy.uri());
      if (benchmark.toolOnly) {
        return new Row(roundTrip, tool, null, null, null);
      }
      Result perDocument = Benchmark.perDocument(server, through, users, benchmark.slowBudget);
      Result floor = benchmark.writeFloor(server, through, users);
      Result seed =
          benchmark.seedScript.isEmpty()
              ? null
              : benchmark.seedScriptItself(server, seedUsers(roundTrip), proxy.uri());
      return new Row(roundTrip, tool, perDocument, floor, seed);
    }
  }

  /**
   * How many users the seed's script gets at {@code roundTrip}: about {@code --slow-budget}
   * seconds' worth at a round trip (and a quarter of a millisecond) a user, 500 at least.
   */
  private int seedUsers(int roundTrip) {
    double perUserSeconds = (roundTrip + 0.25) / 1000;
    return (int) Math.min(benchmark.users, Math.max(500, benchmark.slowBudget / perUserSeconds));
  }

  /** A result's users/s, or nothing when it was not measured. */
  private static String usersPerSecond(Result result) {
    return result == null ? "" : String.format(Locale.ROOT, "%.0f", result.usersPerSecond());
  }

  /** The tool's users/s ÷ the result's, or nothing when it was not measured. */
  private static String times(double tool, Result result) {
    return result == null
        ? ""
        : String.format(Locale.ROOT, "%.1f×", tool / result.usersPerSecond());
  }

  private static String json(Result result) {
    return result == null ? "null" : String.format(Locale.ROOT, "%.1f", result.usersPerSecond());
  }

  private void report(List<Row> rows) throws IOException {
    boolean seed = rows.get(0).seed() != null;
    Row atZero = rows.stream().filter(r -> r.roundTripMs() == 0).findFirst().orElse(null);
    StringBuilder markdown = new StringBuilder();
    markdown.append(
        String.format(
            Locale.ROOT,
            "%d users, batch size %d, %d writers, tool heap %s; through a delay proxy; %s; %s%n%n",
            benchmark.users,
            benchmark.batchSize,
            benchmark.writers,
            benchmark.heap,
            Bench.machine(),
            Instant.now()));
    markdown.append(
        "| round trip | tool users/s | per-document users/s | write floor users/s |"
            + (seed ? " seed script users/s |" : "")
            + " tool ÷ per-document |"
            + (seed ? " tool ÷ seed script |" : "")
            + " tool ÷ tool at 0 ms | tool process CPU s | tool peak RSS |\n");
    markdown.append("|---|---|---|---|" + (seed ? "---|" : "") + "---|" + (seed ? "---|" : ""));
    markdown.append("---|---|---|\n");
    StringBuilder json =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "{\"users\": %d, \"batchSize\": %d, \"writers\": %d, \"heap\": \"%s\","
                    + " \"machine\": \"%s\", \"rows\": [",
                benchmark.users,
                benchmark.batchSize,
                benchmark.writers,
                benchmark.heap,
                Bench.machine()));
    for (int i = 0; i < rows.size(); i++) {
      Row row = rows.get(i);
      double tool = row.tool().usersPerSecond();
      markdown.append(
          String.format(
              Locale.ROOT,
              "| %d ms | %.0f | %s | %s |%s %s |%s %s | %.1f | %d MB |%n",
              row.roundTripMs(),
              tool,
              usersPerSecond(row.perDocument()),
              usersPerSecond(row.floor()),
              seed ? " " + usersPerSecond(row.seed()) + " |" : "",
              times(tool, row.perDocument()),
              seed ? " " + times(tool, row.seed()) + " |" : "",
              atZero == null
                  ? "n/a"
                  : String.format(Locale.ROOT, "%.2f", tool / atZero.tool().usersPerSecond()),
              row.tool().clientCpuSeconds(),
              row.tool().peakRssKb() / 1024));
      json.append(i == 0 ? "" : ", ")
          .append(
              String.format(
                  Locale.ROOT,
                  "{\"roundTripMs\": %d, \"tool\": %.1f, \"perDocument\": %s, \"floor\": %s,"
                      + " \"seedScript\": %s, \"toolCpuSeconds\": %.2f, \"toolPeakRssKb\": %d}",
                  row.roundTripMs(),
                  tool,
                  json(row.perDocument()),
                  json(row.floor()),
                  json(row.seed()),
                  row.tool().clientCpuSeconds(),
                  row.tool().peakRssKb()));
    }
    json.append("]}\n");
    markdown.append('\n').append(targets(rows, atZero)).append('\n');
    System.out.println();
    System.out.print(markdown);
    Files.createDirectories(benchmark.results);
    String name = "rtt-" + benchmark.users + "-users";
    for (String file : List.of("rtt-latest", name)) {
      Files.writeString(benchmark.results.resolve(file + ".md"), markdown.toString());
      Files.writeString(benchmark.results.resolve(file + ".json"), json.toString());
    }
    chart(rows, seed);
    System.out.println(
        "\nwritten: "
            + benchmark.results.resolve("rtt-latest.md")
            + ", "
            + benchmark.results.resolve(name + ".md")
            + ", "
            + benchmark.results.resolve("rtt.png"));
  }

  /** The targets, where the round trips measured tell them. */
  private static String targets(List<Row> rows, Row atZero) {
    List<String> said = new ArrayList<>();
    for (Row row : rows) {
      double tool = row.tool().usersPerSecond();
      if (row.roundTripMs() == 1 && row.perDocument() != null) {
        double times = tool / row.perDocument().usersPerSecond();
        said.add(
            String.format(
                Locale.ROOT,
                "at 1 ms the tool is %.1f× the per-document baseline (≥ 10: %s)",
                times,
                times >= 10 ? "met" : "missed"));
      }
      if (atZero != null && (row.roundTripMs() == 50 || row.roundTripMs() == 100)) {
        double share = tool / atZero.tool().usersPerSecond();
        double target = row.roundTripMs() == 50 ? 0.9 : 0.8;
        said.add(
            String.format(
                Locale.ROOT,
                "at %d ms %.2f× its own users/s at 0 ms (≥ %.1f: %s)",
                row.roundTripMs(),
                share,
                target,
                share >= target ? "met" : "missed"));
      }
    }
    return said.isEmpty() ? "" : "Targets: " + String.join("; ", said) + ".";
  }

  private void chart(List<Row> rows, boolean seed) throws IOException {
    List<Integer> roundTrips = rows.stream().map(Row::roundTripMs).toList();
    Map<String, double[]> series = new LinkedHashMap<>();
    series.put("tool", rows.stream().mapToDouble(r -> r.tool().usersPerSecond()).toArray());
    if (rows.get(0).floor() != null) {
      series.put(
          "write floor", rows.stream().mapToDouble(r -> r.floor().usersPerSecond()).toArray());
      series.put(
          "per-document",
          rows.stream().mapToDouble(r -> r.perDocument().usersPerSecond()).toArray());
    }
    if (seed) {
      series.put(
          "seed script", rows.stream().mapToDouble(r -> r.seed().usersPerSecond()).toArray());
    }
    Chart.draw(
        benchmark.results.resolve("rtt.png"),
        String.format(
            Locale.ROOT,
            "users/s against the round trip to the server, %,d users, embedded server",
            benchmark.users),
        Bench.machine() + "; through a delay proxy",
        new Chart.Axis("round trip, ms", roundTrips, false),
        series);
  }
}
