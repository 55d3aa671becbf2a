package app.achievements.cli;

import app.achievements.run.StopSignal;
import java.io.InputStream;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;

/**
 * What the commands take from the process: standard input, the clock, the environment, whether a
 * person watches a terminal, the stop signal and whether to install signal handlers. {@link Main}
 * passes the real ones; tests pass their own. {@link ContextFactory} hands it to every command and
 * option group that takes one in its constructor.
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
}
