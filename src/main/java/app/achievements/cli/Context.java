package app.achievements.cli;

import java.io.InputStream;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;

/**
 * What the commands take from the process: standard input, the clock and the environment. {@link
 * Main} passes the real ones; tests pass their own.
 */
record Context(InputStream in, Clock clock, Map<String, String> env) {
  Context {
    Objects.requireNonNull(in, "in");
    Objects.requireNonNull(clock, "clock");
    env = Map.copyOf(env);
  }

  /** The context of the commands {@code spec} belongs to, held by the root command. */
  static Context of(picocli.CommandLine.Model.CommandSpec spec) {
    return ((MigrateCommand) spec.root().userObject()).context();
  }
}
