package app.achievements.store;

/**
 * Where a run reads the replication lag from: the replica set ({@link ReplicationLag}), or a fake.
 */
@FunctionalInterface
public interface LagSource {

  /** Never throws: a failure to read is a reading too ({@link LagReading.Unknown}). */
  LagReading read();

  /** A standalone: nothing to wait for. */
  LagSource NONE = LagReading.Standalone::new;
}
