package app.achievements.store;

import app.achievements.rules.Fields;
import com.mongodb.client.FindIterable;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.bson.conversions.Bson;

/**
 * Users matching a filter (the candidates, or all) in {@code _id} order, one bounded query per page
 * ({@code _id > last} within one {@link IdBrackets bracket}), so that no cursor stays open for
 * hours, memory holds one page, and the last {@code _id} is a natural checkpoint.
 */
final class IdOrderPages implements Iterator<List<BsonDocument>> {

  private static final Bson BY_ID = Sorts.ascending(Fields.ID);

  private final MongoCollection<BsonDocument> users;
  private final Bson filter;
  private final IntSupplier pageSize;
  private final long maxTimeMillis;
  private final Bson projection;
  private final String comment;
  private int bracket;
  private BsonValue lastId;
  private List<BsonDocument> next;

  /**
   * Pages of {@code users} that match {@code filter}, with the fields of {@code projection}, of
   * {@code pageSize} users at most (asked before each page); each query is limited to {@code
   * maxTime} and carries {@code comment}.
   */
  IdOrderPages(
      MongoCollection<BsonDocument> users,
      Bson filter,
      Bson projection,
      IntSupplier pageSize,
      Duration maxTime,
      String comment) {
    this.comment = comment;
    this.users = users;
    this.filter = filter;
    this.pageSize = pageSize;
    this.maxTimeMillis = maxTime.toMillis();
    this.projection = projection;
  }

  @Override
  public boolean hasNext() {
    while (next == null && bracket < IdBrackets.BRACKETS.size()) {
      List<BsonDocument> page = readBracketPage();
      if (page.isEmpty()) {
        bracket++;
        lastId = null;
      } else {
        lastId = page.get(page.size() - 1).get(Fields.ID);
        next = page;
      }
    }
    return next != null;
  }

  @Override
  public List<BsonDocument> next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    List<BsonDocument> page = next;
    next = null;
    return page;
  }

  private List<BsonDocument> readBracketPage() {
    List<Bson> conditions = new ArrayList<>();
    conditions.add(filter);
    conditions.add(IdBrackets.inBracket(bracket));
    if (lastId != null) {
      conditions.add(IdBrackets.after(lastId));
    }
    int size = pageSize.getAsInt();
    if (size < 1) {
      throw new IllegalArgumentException("page size < 1: " + size);
    }
    FindIterable<BsonDocument> query =
        users
            .find(Filters.and(conditions))
            .collation(MongoUserStore.SIMPLE)
            .projection(projection)
            .sort(BY_ID)
            .limit(size)
            .batchSize(size)
            .maxTime(maxTimeMillis, TimeUnit.MILLISECONDS)
            .comment(comment);
    return query.into(new ArrayList<>(size));
  }
}
