package app.achievements.cli;

import app.achievements.run.StopSignal;
import java.io.InputStream;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;

/**
 * What the commands take from the process: standard input, the clock, the environment, and whether
 * a person watches a terminal. {@link Main} passes the real ones; tests pass their own.
 */
record Context(
    InputStream in,
    Clock clock,
    Map<String, String> env,
    boolean terminal,
    StopSignal stop,
    boolean handleSignals) {
  Context {
    Objects.requireNonNull(in, "in");
    Objects.requireNonNull(clock, "clock");
    env = Map.copyOf(env);
    Objects.requireNonNull(stop, "stop");
  }

  /** A context that is not a terminal (no progress bar) and leaves the process's signals alone. */
  Context(InputStream in, Clock clock, Map<String, String> env) {
    this(in, clock, env, false, new StopSignal(), false);
  }

  /** As above, on a terminal or not. */
  Context(InputStream in, Clock clock, Map<String, String> env, boolean terminal) {
    this(in, clock, env, terminal, new StopSignal(), false);
  }

  /** The context of the commands {@code spec} belongs to, held by the root command. */
  static Context of(picocli.CommandLine.Model.CommandSpec spec) {
    return ((MigrateCommand) spec.root().userObject()).context();
  }
}
