package app.achievements.cli;

import app.achievements.run.MigrationOptions;
import java.util.ArrayList;
import java.util.List;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code migrate.jar set --max-rate N --batch-size N --max-lag S}: tunes the live run. */
@Command(
    name = "set",
    mixinStandardHelpOptions = true,
    versionProvider = ManifestVersionProvider.class,
    sortOptions = false,
    description = {
      "Changes the pace of the run that holds the lock on the collection while it runs: it applies"
          + " the change within its check interval, records it in its history entry and says so."
          + " Exit 0 confirmed, 3 not confirmed in time, 1 no run.",
    })
final class SetCommand extends LiveRunCommand {

  @Option(
      names = "--max-rate",
      paramLabel = "USERS_PER_SECOND",
      description = "Write at most this many users per second; 0: no limit.")
  Double maxRate;

  @Option(
      names = "--batch-size",
      paramLabel = "N",
      description = "Users per bulk write (and page read) at most, 1 to 100000.")
  Integer batchSize;

  @Option(
      names = "--max-lag",
      paramLabel = "SECONDS",
      description = "No new batch while replication lags more; 0: not checked.")
  Double maxLag;

  @Override
  String name() {
    return "set";
  }

  @Override
  BsonDocument changes() {
    BsonDocument changes = new BsonDocument();
    if (maxRate != null) {
      if (!(maxRate >= 0) || maxRate.isInfinite()) {
        throw usage("--max-rate must be 0 (no limit) or more, not " + maxRate);
      }
      changes.append("maxRate", new BsonDouble(maxRate));
    }
    if (batchSize != null) {
      if (batchSize < MigrationOptions.MIN_BATCH_SIZE
          || batchSize > MigrationOptions.MAX_BATCH_SIZE) {
        throw usage("--batch-size must be 1 to 100000, not " + batchSize);
      }
      changes.append("batchSize", new BsonInt32(batchSize));
    }
    if (maxLag != null) {
      if (PacingOptions.maxLagProblem(maxLag)) {
        throw usage("--max-lag must be 0 (not checked) or 0.001 to 86400 seconds, not " + maxLag);
      }
      changes.append("maxLag", new BsonDouble(maxLag));
    }
    if (changes.isEmpty()) {
      throw usage("nothing to set: give --max-rate, --batch-size or --max-lag");
    }
    return changes;
  }

  @Override
  String asked() {
    List<String> asked = new ArrayList<>();
    if (maxRate != null) {
      asked.add("max rate " + (maxRate == 0 ? "none" : number(maxRate) + " users/s"));
    }
    if (batchSize != null) {
      asked.add("batch size " + batchSize);
    }
    if (maxLag != null) {
      asked.add("max lag " + (maxLag == 0 ? "off" : number(maxLag) + " s"));
    }
    return "for " + String.join(", ", asked);
  }

  @Override
  String confirmation(BsonDocument status) {
    return "Applied by the run.";
  }

  private ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }

  private static String number(double value) {
    return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
  }
}
