package app.achievements.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** What the benchmarks share: options, the machine, and the tool run as a process. */
final class Bench {

  private Bench() {}

  /**
   * One run of the tool: its wall time, its CPU time (user + system) and its peak RSS (both -1
   * without /usr/bin/time).
   */
  record ToolRun(double seconds, double cpuSeconds, long peakRssKb) {}

  /** {@code value} of {@code option}, checked positive: a usage error otherwise. */
  static int positive(CommandSpec spec, String option, int value) {
    if (value < 1) {
      throw new ParameterException(
          spec.commandLine(), option + " takes positive whole numbers, not " + value);
    }
    return value;
  }

  /** Each of {@code values} of {@code option}, checked positive. */
  static List<Integer> positive(CommandSpec spec, String option, List<Integer> values) {
    values.forEach(value -> positive(spec, option, value));
    return values;
  }

  static String machine() {
    return String.format(
        Locale.ROOT,
        "%d cores, %s, %s %s",
        Runtime.getRuntime().availableProcessors(),
        memory(),
        System.getProperty("java.vm.name"),
        System.getProperty("java.version"));
  }

  private static String memory() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (line.startsWith("MemTotal:")) {
          long kb = Long.parseLong(line.replaceAll("\\D", ""));
          return Math.round(kb / 1024.0 / 1024.0) + " GB";
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux: leave it out
    }
    return "? GB";
  }

  static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /**
   * Runs {@code java -Xmx<heap> -jar <jar> --uri <uri> -d bench --yes --quiet --batch-size B
   * --writers W} as an operator would, and times it.
   */
  static ToolRun runTool(Path jar, String uri, String heap, int batchSize, int writers)
      throws IOException, InterruptedException {
    return runTool(jar, uri, heap, List.of(), batchSize, writers);
  }

  /** {@link #runTool(Path, String, String, int, int)} with further JVM options. */
  static ToolRun runTool(
      Path jar, String uri, String heap, List<String> jvmOptions, int batchSize, int writers)
      throws IOException, InterruptedException {
    Path rss = Files.createTempFile("bench-rss", ".txt");
    try {
      List<String> command = new ArrayList<>();
      boolean timed = Files.isExecutable(Path.of("/usr/bin/time"));
      if (timed) {
        command.addAll(List.of("/usr/bin/time", "-f", "%M %U %S", "-o", rss.toString()));
      }
      command.addAll(List.of(java(), "-Xmx" + heap));
      command.addAll(jvmOptions);
      command.addAll(
          List.of(
              "-jar",
              jar.toString(),
              "--uri",
              uri,
              "-d",
              BenchServer.DATABASE,
              "--yes",
              "--quiet",
              "--batch-size",
              Integer.toString(batchSize),
              "--writers",
              Integer.toString(writers)));
      long started = System.nanoTime();
      Process process =
          new ProcessBuilder(command)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
      int exit = process.waitFor();
      double seconds = seconds(started);
      if (exit != 0 && exit != 3) { // 3: the sample users include rejects, as production does
        throw new IllegalStateException("the tool exited " + exit);
      }
      if (!timed) {
        return new ToolRun(seconds, -1, -1);
      }
      String last = Files.readString(rss).strip().lines().reduce((a, b) -> b).orElse("");
      String[] fields = last.split(" "); // peak RSS in KB, user seconds, system seconds
      return new ToolRun(
          seconds,
          Double.parseDouble(fields[1]) + Double.parseDouble(fields[2]),
          Long.parseLong(fields[0]));
    } finally {
      Files.deleteIfExists(rss);
    }
  }

  static double seconds(long startedNanos) {
    return (System.nanoTime() - startedNanos) / 1e9;
  }
}
