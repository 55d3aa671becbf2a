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
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The tool's users/s against its batch size and number of writers, each run end to end on freshly
 * seeded, identical users in the embedded server; the median of {@code --repeat} runs per point.
 * Writes {@code sweep.md}, {@code sweep.json} and the chart {@code sweep.png}. Run it with {@code
 * bench/sweep.sh}.
 */
@Command(
    name = "bench/sweep.sh",
    mixinStandardHelpOptions = true,
    description = "The tool's users/s by --batch-size and --writers, with a chart.")
public final class Sweep implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--users",
      paramLabel = "N",
      description = "Users seeded for each run (default: 50000).")
  int users = 50_000;

  @Option(
      names = "--batch-sizes",
      paramLabel = "N",
      split = ",",
      description = "The --batch-size values (default: 100,250,500,1000,2000,5000).")
  List<Integer> batchSizes = List.of(100, 250, 500, 1000, 2000, 5000);

  @Option(
      names = "--writers",
      paramLabel = "N",
      split = ",",
      description = "The --writers values (default: 1,2,4).")
  List<Integer> writerCounts = List.of(1, 2, 4);

  @Option(
      names = "--repeat",
      paramLabel = "N",
      description = "Runs per point, the median shown (default: 3).")
  int repeat = 3;

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

  public static void main(String[] args) {
    System.exit(new CommandLine(new Sweep()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    Bench.positive(spec, "--users", users);
    Bench.positive(spec, "--batch-sizes", batchSizes);
    Bench.positive(spec, "--writers", writerCounts);
    Bench.positive(spec, "--repeat", repeat);
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
    return 0;
  }
}
