package app.achievements.store;

import com.mongodb.client.MongoClient;
import com.mongodb.connection.ServerDescription;
import com.mongodb.connection.ServerType;
import java.util.function.LongSupplier;

/** How far the servers a client writes to are: the driver's heartbeat round trips. */
public final class RoundTrips {

  private RoundTrips() {}

  /**
   * The least round trip to the servers {@code client} writes to (a primary, a mongos, a
   * standalone), in nanoseconds, as its monitors measured it: the least of the recent ones once
   * there are two; 0 before (the window of writes in flight then stays at the writers).
   */
  public static LongSupplier of(MongoClient client) {
    return () -> {
      long least = 0;
      for (ServerDescription server : client.getClusterDescription().getServerDescriptions()) {
        ServerType type = server.getType();
        if (!server.isOk()
            || !(type == ServerType.REPLICA_SET_PRIMARY
                || type == ServerType.SHARD_ROUTER
                || type == ServerType.STANDALONE)) {
          continue;
        }
        // the least of the recent ones only: the first heartbeat alone, on a JVM still warming up,
        // came back 20 to 100 ms late on loopback, which would widen the window next to the server
        long roundTrip = server.getMinRoundTripTimeNanos();
        if (roundTrip > 0 && (least == 0 || roundTrip < least)) {
          least = roundTrip;
        }
      }
      return least;
    };
  }
}
