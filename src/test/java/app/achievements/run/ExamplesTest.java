package app.achievements.run;

import static org.assertj.core.api.Assertions.assertThat;

import app.achievements.rules.Conversion;
import java.time.Instant;
import java.util.List;
import org.bson.BsonDocument;
import org.junit.jupiter.api.Test;

class ExamplesTest {

  private static List<Integer> chosen(int capacity, String... users) {
    Examples examples = new Examples(capacity);
    for (String json : users) {
      BsonDocument user = BsonDocument.parse(json);
      examples.offer(user, Conversion.convert(user, Instant.EPOCH));
    }
    return examples.examples().stream().map(e -> e.before().getInt32("_id").getValue()).toList();
  }

  private static final String[] USERS = {
    "{_id: 1, createdAt: {$date: 0}, achievements: ['a']}",
    "{_id: 2, createdAt: {$date: 0}, achievements: ['b']}",
    "{_id: 3, createdAt: {$date: 0}, achievements: ['c', null]}",
    "{_id: 4, createdAt: {$date: 0}, achievements: [true]}",
    "{_id: 5, createdAt: {$date: 0}, achievements: ['d', null]}",
    "{_id: 6, createdAt: {$date: 0}, achievements: [1.5]}",
  };

  @Test
  void oneOfEachKindFirst() {
    assertThat(chosen(3, USERS)).containsExactly(1, 3, 4);
    assertThat(chosen(4, USERS)).containsExactly(1, 3, 4, 6);
  }

  @Test
  void thenTheOthersInTheOrderRead() {
    assertThat(chosen(6, USERS)).containsExactly(1, 3, 4, 6, 2, 5);
  }

  @Test
  void aUserOfManyAchievementsIsNeverKept() {
    StringBuilder many = new StringBuilder();
    for (int i = 0; i < 1000; i++) {
      many.append(i == 0 ? "" : ",").append(i);
    }
    String large = "{_id: 7, createdAt: {$date: 0}, achievements: [" + many + "]}";
    assertThat(chosen(3, large, USERS[0])).containsExactly(1);
  }

  @Test
  void noneWhenAskedForNone() {
    assertThat(chosen(0, USERS)).isEmpty();
  }
}
