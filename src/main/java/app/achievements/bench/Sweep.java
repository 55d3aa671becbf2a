package app.achievements.bench;

import app.achievements.run.MigrationOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The tool's users/s against its batch size and number of writers, each run end to end on freshly
 * seeded, identical users in the embedded server; the median of {@code --repeat} runs per point.
 * Writes {@code sweep.md}, {@code sweep.json} and the chart {@code sweep.png}. Run it with {@code
 * bench/sweep.sh}.
 */
public final class Sweep {

  private Sweep() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> defaults = new LinkedHashMap<>();
    defaults.put("--users", "50000");
    defaults.put("--batch-sizes", "100,250,500,1000,2000,5000");
    defaults.put("--writers", "1,2,4");
    defaults.put("--repeat", "3");
    defaults.put("--heap", "512m");
    defaults.put("--jar", "target/migrate.jar");
    defaults.put("--results", "bench/results");
    Map<String, String> options = Bench.options(args, defaults);
    int users = Bench.number(options, "--users");
    List<Integer> batchSizes = Bench.numbers(options, "--batch-sizes");
    List<Integer> writerCounts = Bench.numbers(options, "--writers");
    int repeat = Bench.number(options, "--repeat");
    String heap = options.get("--heap");
    Path jar = Path.of(options.get("--jar"));
    Path results = Path.of(options.get("--results"));

    Map<Integer, double[]> series = new LinkedHashMap<>();
    try (BenchServer server = BenchServer.start(jar)) {
      System.out.printf(
          "machine: %s; %d users, median of %d runs per point%n", Bench.machine(), users, repeat);
      for (int i = 0; i < 2; i++) { // warm the server up
        server.freshUsers(Math.max(1000, users / 10));
        Bench.runTool(
            jar,
            server.uri(),
            heap,
            MigrationOptions.DEFAULT_BATCH_SIZE,
            MigrationOptions.DEFAULT_WRITERS);
      }
      for (int writers : writerCounts) {
        double[] perSecond = new double[batchSizes.size()];
        for (int i = 0; i < batchSizes.size(); i++) {
          double[] seconds = new double[repeat];
          for (int r = 0; r < repeat; r++) {
            server.freshUsers(users);
            seconds[r] =
                Bench.runTool(jar, server.uri(), heap, batchSizes.get(i), writers).seconds();
          }
          Arrays.sort(seconds);
          perSecond[i] = users / seconds[repeat / 2];
          System.out.printf(
              Locale.ROOT,
              "writers %d, batch size %d: %.0f users/s (runs: %s s)%n",
              writers,
              batchSizes.get(i),
              perSecond[i],
              Arrays.toString(seconds));
        }
        series.put(writers, perSecond);
      }
    }

    String title =
        String.format(
            Locale.ROOT,
            "migrate.jar users/s by --batch-size and --writers, %,d users, embedded server",
            users);
    String subtitle =
        String.format(Locale.ROOT, "%s; median of %d runs per point", Bench.machine(), repeat);
    StringBuilder markdown =
        new StringBuilder(title + "; " + Bench.machine() + "; " + Instant.now() + "\n\n");
    markdown.append("users/s, end to end (median of ").append(repeat).append(" runs)\n\n");
    markdown.append("| --batch-size |");
    writerCounts.forEach(w -> markdown.append(" ").append(w).append(" writer(s) |"));
    markdown.append("\n|---|");
    writerCounts.forEach(w -> markdown.append("---|"));
    markdown.append('\n');
    StringBuilder json =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "{\"users\": %d, \"repeat\": %d, \"machine\": \"%s\", \"points\": [",
                users,
                repeat,
                Bench.machine()));
    boolean first = true;
    for (int i = 0; i < batchSizes.size(); i++) {
      markdown.append("| ").append(batchSizes.get(i)).append(" |");
      for (int writers : writerCounts) {
        double value = series.get(writers)[i];
        markdown.append(String.format(Locale.ROOT, " %.0f |", value));
        json.append(first ? "" : ", ")
            .append(
                String.format(
                    Locale.ROOT,
                    "{\"batchSize\": %d, \"writers\": %d, \"usersPerSecond\": %.1f}",
                    batchSizes.get(i),
                    writers,
                    value));
        first = false;
      }
      markdown.append('\n');
    }
    json.append("]}\n");
    Files.createDirectories(results);
    Files.writeString(results.resolve("sweep.md"), markdown.toString());
    Files.writeString(results.resolve("sweep.json"), json.toString());
    Chart.draw(results.resolve("sweep.png"), title, subtitle, batchSizes, series);
    System.out.println();
    System.out.print(markdown);
    System.out.println(
        "\nwritten: "
            + results.resolve("sweep.md")
            + ", sweep.json, "
            + results.resolve("sweep.png"));
  }
}
