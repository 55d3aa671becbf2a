package app.achievements.run;

import app.achievements.store.RunStatus;
import java.util.Map;

/** What a run of a command that writes did: how it ended, and its counts. */
public interface RunResult {

  /** How the run ended. */
  RunStatus status();

  /** Whether the run left nothing to do: completed, and every user it was for is done. */
  boolean complete();

  /** What stopped a run that did not complete (the stop itself when it was stopped), else null. */
  RuntimeException failure();

  /** The counts for the history entry and the summary, in their order. */
  Map<String, Long> counts();
}
