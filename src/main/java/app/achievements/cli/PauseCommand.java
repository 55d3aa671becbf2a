package app.achievements.cli;

import app.achievements.store.LiveRuns;
import app.achievements.store.RunControl;
import java.util.List;
import org.bson.BsonBoolean;
import org.bson.BsonDocument;
import picocli.CommandLine.Command;

/** {@code migrate.jar pause}: the live run sends no new batch until {@code resume}. */
@Command(
    name = "pause",
    mixinStandardHelpOptions = true,
    versionProvider = ManifestVersionProvider.class,
    sortOptions = false,
    description = {
      "Pauses the run that holds the lock on the collection, from any machine: it sends no new"
          + " batch, keeps its lock and its counts, and goes on at resume (Ctrl-C still stops it)."
          + " Waits until the run confirms that no bulk write of its is on the wire. Exit 0"
          + " confirmed, 3 not confirmed in time, 1 no run.",
    })
final class PauseCommand extends LiveRunCommand {

  @Override
  String name() {
    return "pause";
  }

  @Override
  BsonDocument changes() {
    return new BsonDocument("paused", BsonBoolean.TRUE);
  }

  @Override
  String asked() {
    return "to pause";
  }

  /** Applied, and no write of the run's left on the wire. */
  @Override
  boolean confirmed(BsonDocument status, long seq) {
    return applied(status, seq) && StatusCommand.text(status.get("state")).equals("paused");
  }

  /** A resume asked after this pause, applied before the run saw the pause. */
  @Override
  String overtaken(LiveRuns.LiveRun run, long seq) {
    RunControl control = run.control();
    return applied(run.status(), seq)
            && control.seq() > seq
            && Boolean.FALSE.equals(control.paused())
        ? "a later request ("
            + control.by()
            + ") resumed the run before it looked at this pause: it is not paused"
        : null;
  }

  /** The run paused: a later resume or set applied in its place is no pause. */
  @Override
  boolean confirmedBeforeItEnded(List<BsonDocument> applied) {
    return applied.stream()
        .anyMatch(control -> control.getBoolean("paused", BsonBoolean.FALSE).getValue());
  }

  @Override
  String confirmationAfterItEnded() {
    return "Paused; the run has ended since: see history.";
  }

  @Override
  String confirmation(BsonDocument status) {
    return "Paused: no bulk write of the run's is on the wire, and none starts until resume.";
  }
}
