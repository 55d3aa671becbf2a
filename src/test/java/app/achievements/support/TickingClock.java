package app.achievements.support;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock that moves on by a fixed step at every reading: time passes as code reads it. */
public final class TickingClock extends Clock {

  private final Duration step;
  private Instant next;

  public TickingClock(Instant start, Duration step) {
    this.next = start;
    this.step = step;
  }

  @Override
  public synchronized Instant instant() {
    Instant now = next;
    next = next.plus(step);
    return now;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }
}
