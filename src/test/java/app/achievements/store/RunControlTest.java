package app.achievements.store;

import static org.assertj.core.api.Assertions.assertThat;

import org.bson.BsonDocument;
import org.junit.jupiter.api.Test;

/** The control part of a lock document, as the run and status read it, hand edits included. */
class RunControlTest {

  @Test
  void readsWhatTheControlCommandsWrite() {
    RunControl control =
        RunControl.of(
            BsonDocument.parse(
                "{seq: {$numberLong: '3'}, paused: true, maxRate: 500.0, batchSize: 200,"
                    + " maxLag: 2.5, by: {command: 'pause', user: 'bob', host: 'laptop', pid: 7}}"));
    assertThat(control)
        .isEqualTo(new RunControl(3, true, "pause from bob@laptop (pid 7)", 500.0, 200, 2.5));
    assertThat(RunControl.of(null)).isEqualTo(RunControl.NONE);
  }

  /** A field of another type is left as it is; a count that is not an integer applies nothing. */
  @Test
  void aHandEditedControlIsReadWithoutFailingAndAppliesNothingItCannotRead() {
    RunControl control =
        RunControl.of(
            BsonDocument.parse(
                "{seq: 1e19, paused: 'yes', batchSize: 2.5, maxRate: 'fast', by: 'someone'}"));
    assertThat(control).isEqualTo(new RunControl(-1, null, null, null, null, null));
  }
}
