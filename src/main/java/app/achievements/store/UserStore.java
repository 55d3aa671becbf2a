package app.achievements.store;

import app.achievements.rules.Eligibility;
import java.util.Iterator;
import java.util.List;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import org.bson.BsonDocument;
import org.bson.BsonValue;

/** The users collection as the runner sees it: paged reads, re-reads and guarded bulk writes. */
public interface UserStore {

  /**
   * Every candidate user ({@link Eligibility#candidateFilter}), in {@code _id} order, in pages of
   * at most {@code pageSize} (asked before each page: it may change while the run goes), each page
   * read by its own query that starts after the last {@code _id} of the one before.
   */
  Iterator<List<BsonDocument>> candidatePages(IntSupplier pageSize);

  /**
   * As {@link #candidatePages(IntSupplier)}, each page also holding at most {@code pageBytes} of
   * the users' BSON, and one user at least (a store that cannot tell their bytes ignores it).
   */
  default Iterator<List<BsonDocument>> candidatePages(
      IntSupplier pageSize, LongSupplier pageBytes) {
    return candidatePages(pageSize);
  }

  /** Every user, in {@code _id} order and pages like {@link #candidatePages}. */
  Iterator<List<BsonDocument>> allPages(int pageSize);

  /**
   * Users that may carry the migration's {@code achievements_v2} (a superset), in {@code _id} order
   * and pages like {@link #candidatePages}.
   */
  Iterator<List<BsonDocument>> migratedPages(IntSupplier pageSize);

  /** As {@link #migratedPages(IntSupplier)}, each page at most {@code pageBytes} as above. */
  default Iterator<List<BsonDocument>> migratedPages(IntSupplier pageSize, LongSupplier pageBytes) {
    return migratedPages(pageSize);
  }

  /**
   * Removes {@code achievements_v2} from each user read, in one unordered bulk write, each guarded
   * by {@link WriteGuard#migratedAsRead}. In the result, "migrated" are the users rolled back.
   */
  BatchResult removeV2(List<PlannedWrite> removals);

  /** The users with these ids as they are now, with the fields a conversion reads. */
  List<BsonDocument> reread(List<BsonValue> ids);

  /** Writes each planned write with {@link WriteGuard} in one unordered bulk write. */
  BatchResult write(List<PlannedWrite> writes);

  /** Where the users live, for the operator: {@code database.collection}. */
  String namespace();
}
