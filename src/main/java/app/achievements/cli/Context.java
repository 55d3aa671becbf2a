package app.achievements.cli;

import java.io.InputStream;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;

/**
 * What the commands take from the process: standard input, the clock, the environment, and whether
 * a person watches a terminal. {@link Main} passes the real ones; tests pass their own.
 */
record Context(InputStream in, Clock clock, Map<String, String> env, boolean terminal) {
  Context {
    Objects.requireNonNull(in, "in");
    Objects.requireNonNull(clock, "clock");
    env = Map.copyOf(env);
  }

  /** A context that is not a terminal: no progress bar. */
  Context(InputStream in, Clock clock, Map<String, String> env) {
    this(in, clock, env, false);
  }

  /** The context of the commands {@code spec} belongs to, held by the root command. */
  static Context of(picocli.CommandLine.Model.CommandSpec spec) {
    return ((MigrateCommand) spec.root().userObject()).context();
  }
}
