package app.achievements.cli;

import app.achievements.pace.PaceState;
import app.achievements.rules.Json;
import app.achievements.run.ProgressListener;
import app.achievements.store.LagReading;
import java.io.PrintWriter;
import java.time.Duration;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonString;

/**
 * {@code --progress-json}: one JSON object per line on standard error, at most once per interval
 * and once more at the end, for CI and monitoring: the counts, the rate, the ETA, the batch size,
 * the lag and whether writes go (and why not).
 */
final class JsonProgress implements ProgressListener {

  private final PrintWriter err;
  private final Duration interval;
  private Snapshot last;
  private Duration lastPrinted;

  JsonProgress(PrintWriter err, Duration interval) {
    this.err = err;
    this.interval = interval;
  }

  @Override
  public synchronized void progress(Snapshot snapshot) {
    last = snapshot;
    if (lastPrinted != null && snapshot.elapsed().minus(lastPrinted).compareTo(interval) < 0) {
      return;
    }
    lastPrinted = snapshot.elapsed();
    print(snapshot);
  }

  @Override
  public synchronized void done() {
    if (last != null) {
      print(last);
      last = null;
    }
  }

  private void print(Snapshot snapshot) {
    err.println(Json.relaxed(of(snapshot)));
    err.flush();
  }

  /** The object of one line. */
  static BsonDocument of(Snapshot snapshot) {
    Labels labels = snapshot.labels();
    PaceState pace = snapshot.pace();
    BsonDocument json =
        new BsonDocument("progress", new BsonString(labels.task()))
            .append("processed", new BsonInt64(snapshot.processed()))
            .append("expected", new BsonInt64(snapshot.expected()))
            .append(key(labels.done()), new BsonInt64(snapshot.migrated()))
            .append(key(labels.left()), new BsonInt64(snapshot.rejected()))
            .append("failed", new BsonInt64(snapshot.failed()))
            .append("usersPerSecond", new BsonInt64(snapshot.rate()))
            .append("elapsedMs", new BsonInt64(snapshot.elapsed().toMillis()));
    if (snapshot.eta() != null) {
      json.append("etaSeconds", new BsonInt64(snapshot.eta().toSeconds()));
    }
    json.append("batchSize", new BsonInt32(pace.batchSize()))
        .append("maxBatchSize", new BsonInt32(pace.maxBatchSize()))
        .append("maxRate", new BsonDouble(pace.maxRate()))
        .append("maxLagSeconds", new BsonDouble(pace.maxLag().toMillis() / 1000.0));
    if (pace.lag() instanceof LagReading.Measured measured) {
      json.append("lagSeconds", new BsonDouble(measured.lag().toMillis() / 1000.0));
    }
    if (pace.lagText() != null) {
      json.append("lag", new BsonString(pace.lagText()));
    }
    json.append("writes", new BsonString(pace.writes().name()));
    if (pace.writes().reason() != null) {
      json.append("reason", new BsonString(pace.writes().reason()));
    }
    return json;
  }

  /** {@code rolled back} as a key: {@code rolledBack}. */
  private static String key(String label) {
    StringBuilder key = new StringBuilder();
    boolean upper = false;
    for (char c : label.toCharArray()) {
      if (c == ' ') {
        upper = true;
      } else {
        key.append(upper ? Character.toUpperCase(c) : c);
        upper = false;
      }
    }
    return key.toString();
  }
}
