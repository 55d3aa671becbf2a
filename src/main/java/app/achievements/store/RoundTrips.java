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
   * there are two, else their average; 0 while none is known.
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
        long roundTrip =
            server.getMinRoundTripTimeNanos() > 0
                ? server.getMinRoundTripTimeNanos()
                : server.getRoundTripTimeNanos();
        if (roundTrip > 0 && (least == 0 || roundTrip < least)) {
          least = roundTrip;
        }
      }
      return least;
    };
  }
}
