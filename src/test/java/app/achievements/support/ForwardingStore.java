package app.achievements.support;

import app.achievements.store.BatchResult;
import app.achievements.store.PlannedWrite;
import app.achievements.store.UserStore;
import java.util.Iterator;
import java.util.List;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import org.bson.BsonDocument;
import org.bson.BsonValue;

/** A store that passes everything to another: tests override what they need. */
public class ForwardingStore implements UserStore {
  private final UserStore delegate;

  public ForwardingStore(UserStore delegate) {
    this.delegate = delegate;
  }

  @Override
  public Iterator<List<BsonDocument>> candidatePages(IntSupplier pageSize) {
    return delegate.candidatePages(pageSize);
  }

  @Override
  public Iterator<List<BsonDocument>> candidatePages(IntSupplier pageSize, LongSupplier pageBytes) {
    return delegate.candidatePages(pageSize, pageBytes);
  }

  @Override
  public Iterator<List<BsonDocument>> allPages(int pageSize) {
    return delegate.allPages(pageSize);
  }

  @Override
  public Iterator<List<BsonDocument>> migratedPages(IntSupplier pageSize) {
    return delegate.migratedPages(pageSize);
  }

  @Override
  public Iterator<List<BsonDocument>> migratedPages(IntSupplier pageSize, LongSupplier pageBytes) {
    return delegate.migratedPages(pageSize, pageBytes);
  }

  @Override
  public BatchResult removeV2(List<PlannedWrite> removals) {
    return delegate.removeV2(removals);
  }

  @Override
  public List<BsonDocument> reread(List<BsonValue> ids) {
    return delegate.reread(ids);
  }

  @Override
  public BatchResult write(List<PlannedWrite> planned) {
    return delegate.write(planned);
  }

  @Override
  public String namespace() {
    return delegate.namespace();
  }
}
