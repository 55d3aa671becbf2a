package app.achievements.cli;

import java.util.List;
import org.bson.BsonBoolean;
import org.bson.BsonDocument;
import picocli.CommandLine.Command;

/** {@code migrate.jar resume}: the paused live run goes on. */
@Command(
    name = "resume",
    mixinStandardHelpOptions = true,
    versionProvider = ManifestVersionProvider.class,
    sortOptions = false,
    description = {
      "Resumes the run that holds the lock on the collection, paused with pause. Waits until the"
          + " run confirms. Exit 0 confirmed, 3 not confirmed in time, 1 no run.",
    })
final class ResumeCommand extends LiveRunCommand {

  @Override
  String name() {
    return "resume";
  }

  @Override
  BsonDocument changes() {
    return new BsonDocument("paused", BsonBoolean.FALSE);
  }

  @Override
  String asked() {
    return "to resume";
  }

  /** The run resumed: it recorded {@code paused: false}. */
  @Override
  boolean confirmedBeforeItEnded(List<BsonDocument> applied) {
    return applied.stream()
        .anyMatch(control -> !control.getBoolean("paused", BsonBoolean.TRUE).getValue());
  }

  @Override
  String confirmationAfterItEnded() {
    return "Resumed; the run has ended since: see history.";
  }

  @Override
  String confirmation(BsonDocument status) {
    String reason = status.isString("reason") ? status.getString("reason").getValue() : "";
    return reason.isEmpty() || !StatusCommand.text(status.get("state")).startsWith("paus")
        ? "Resumed: the run is writing."
        : "Resumed; the run's writes still wait: " + reason + ".";
  }
}
