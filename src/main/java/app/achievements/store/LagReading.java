package app.achievements.store;

import java.time.Duration;

/**
 * What one look at the replica set's replication says about lag: a measured lag, an unknown one (a
 * member unreachable or in an unknown state, no primary, the command failed), a standalone that has
 * no replication to wait for, or a server that will never tell this user (no role to run {@code
 * replSetGetStatus}, or a mongos, which does not answer it).
 */
public sealed interface LagReading {

  /** The largest lag of a healthy, data-bearing, not delayed secondary, and its member. */
  record Measured(Duration lag, String member) implements LagReading {
    public Measured {
      if (lag.isNegative()) {
        lag = Duration.ZERO;
      }
    }
  }

  /**
   * The lag cannot be told now; {@code why} says what is missing. Writes wait: fail closed. {@code
   * refused}: the server answered the command with an error (not a member's state, not the
   * network), which a run that is only beginning takes as a refusal.
   */
  record Unknown(String why, boolean refused) implements LagReading {
    public Unknown(String why) {
      this(why, false);
    }
  }

  /** A standalone server ({@code NoReplicationEnabled}): there is no lag, the check is off. */
  record Standalone() implements LagReading {}

  /** This user, or this kind of server, can never read the lag; {@code why} says what to do. */
  record Unreadable(String why) implements LagReading {}
}
