package app.achievements.store;

import app.achievements.rules.Fields;
import com.mongodb.client.FindIterable;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoCursor;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.Sorts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.bson.RawBsonDocument;
import org.bson.conversions.Bson;

/**
 * Users matching a filter (the candidates, or all) in {@code _id} order, one bounded query per page
 * ({@code _id > last} within one {@link IdBrackets bracket}), so that no cursor stays open for
 * hours, memory holds one page, and the last {@code _id} is a natural checkpoint.
 *
 * <p>Far from the server every query costs a round trip, so none is spent on nothing: the next
 * bracket to read is found by one query over all those not read yet (not by a page query of each of
 * the sixteen), and a page whose cursor ran out before its limits ends its bracket (no empty page
 * query after it). A user inserted meanwhile into a bracket already read, or after a bracket's last
 * page, is not read by this pass, as before: the next run migrates it.
 */
final class IdOrderPages implements Iterator<List<BsonDocument>> {

  private static final Bson BY_ID = Sorts.ascending(Fields.ID);

  /**
   * The size of a user guessed before any was read: small enough that the first batch rarely brings
   * users past the page's bytes (they would be read and thrown away), large enough that small users
   * still come in a few batches.
   */
  private static final long FIRST_GUESS = 256;

  private final MongoCollection<RawBsonDocument> users;
  private final Bson filter;
  private final IntSupplier pageSize;
  private final LongSupplier pageBytes;
  private final long maxTimeMillis;
  private final Bson projection;
  private final String comment;

  /** The brackets not read yet, and the one being read (-1 between brackets). */
  private final Set<Integer> unread = new TreeSet<>();

  private int bracket = -1;
  private BsonValue lastId;

  /**
   * Whether the last page read was the end of its bracket: its cursor ran out before its limits.
   */
  private boolean bracketEnded;

  /** The users read so far and their bytes: what a page's cursor asks the server for at once. */
  private long usersRead;

  private long bytesRead;
  private List<BsonDocument> next;

  /**
   * Pages of {@code users} that match {@code filter}, with the fields of {@code projection}, of
   * {@code pageSize} users at most and {@code pageBytes} of their BSON (both asked before each
   * page; a page holds one user at least, however large); each query is limited to {@code maxTime}
   * and carries {@code comment}. Users come as {@link RawBsonDocument}s: their bytes as the server
   * sent them, read field by field when asked, no tree of objects per user.
   */
  IdOrderPages(
      MongoCollection<BsonDocument> users,
      Bson filter,
      Bson projection,
      IntSupplier pageSize,
      LongSupplier pageBytes,
      Duration maxTime,
      String comment) {
    this.comment = comment;
    this.users = users.withDocumentClass(RawBsonDocument.class);
    this.pageBytes = pageBytes;
    this.filter = filter;
    this.pageSize = pageSize;
    this.maxTimeMillis = maxTime.toMillis();
    this.projection = projection;
    for (int i = 0; i < IdBrackets.BRACKETS.size(); i++) {
      unread.add(i);
    }
  }

  @Override
  public boolean hasNext() {
    while (next == null && (bracket >= 0 || !unread.isEmpty())) {
      if (bracket < 0) {
        bracket = nextBracket();
        if (bracket < 0) {
          unread.clear();
          break;
        }
      }
      List<BsonDocument> page = readBracketPage();
      if (!page.isEmpty()) {
        lastId = page.get(page.size() - 1).get(Fields.ID);
        next = page;
      }
      if (page.isEmpty() || bracketEnded) {
        unread.remove(bracket);
        bracket = -1;
        lastId = null;
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

  /**
   * The bracket of the first matching user among the brackets not read yet, or -1 when none has
   * one: one query, whatever the brackets, instead of an empty page read for each. Whichever
   * bracket it names is read next; a server that sorts types in another order than mongod only
   * changes the order the brackets are read in, and the pass ends when this finds none left.
   */
  private int nextBracket() {
    RawBsonDocument first =
        users
            .find(Filters.and(filter, IdBrackets.inBrackets(unread)))
            .collation(MongoUserStore.SIMPLE)
            .projection(Projections.include(Fields.ID))
            .sort(BY_ID)
            .limit(1)
            .maxTime(maxTimeMillis, TimeUnit.MILLISECONDS)
            .comment(comment)
            .first();
    if (first == null) {
      return -1;
    }
    int found = IdBrackets.of(first.get(Fields.ID));
    if (!unread.contains(found)) {
      throw new IllegalStateException(
          "the server answered an _id of type "
              + first.get(Fields.ID).getBsonType()
              + " to a query for others");
    }
    return found;
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
    long bytes = pageBytes.getAsLong();
    // ask for about as many users as fit in the bytes, so that the server sends no batch that
    // would be thrown away: users of the size seen so far (before any, of FIRST_GUESS bytes)
    long perUser = usersRead == 0 ? FIRST_GUESS : Math.max(1, bytesRead / usersRead);
    int batch = (int) Math.max(1, Math.min(size, bytes / perUser + 1));
    FindIterable<RawBsonDocument> query =
        users
            .find(Filters.and(conditions))
            .collation(MongoUserStore.SIMPLE)
            .projection(projection)
            .sort(BY_ID)
            .limit(size)
            .batchSize(batch)
            .maxTime(maxTimeMillis, TimeUnit.MILLISECONDS)
            .comment(comment);
    List<BsonDocument> page = new ArrayList<>(Math.min(size, 1024));
    long read = 0;
    boolean ended;
    try (MongoCursor<RawBsonDocument> cursor = query.iterator()) {
      // a page cut short by its bytes closes its cursor: the next page starts after its last user
      while (page.size() < size && read < bytes && cursor.hasNext()) {
        RawBsonDocument user = cursor.next();
        page.add(user);
        read += user.getByteBuffer().remaining();
      }
      // no page after one whose cursor ran out before its limits: it was the bracket's last
      ended = page.size() < size && read < bytes;
    }
    bracketEnded = ended;
    usersRead += page.size();
    bytesRead += read;
    return page;
  }
}
