package app.achievements.embedded;

import de.bwaldvogel.mongo.MongoServer;
import java.net.InetSocketAddress;
import java.util.function.BiConsumer;

/**
 * An in-process MongoDB server (mongo-java-server, in memory, with the {@code _id}-index fix of
 * {@link IdIndexedMemoryBackend}) on the loopback interface. For the demo, the sandbox and tests.
 */
public final class EmbeddedMongo implements AutoCloseable {

  /** The loopback address the server listens on: never reachable from another machine. */
  public static final String HOST = "127.0.0.1";

  private final MongoServer server;
  private final InetSocketAddress address;
  private final IdIndexedMemoryBackend backend;

  private EmbeddedMongo(
      MongoServer server, InetSocketAddress address, IdIndexedMemoryBackend backend) {
    this.server = server;
    this.address = address;
    this.backend = backend;
  }

  /** Starts a server on {@code port} of {@link #HOST}; port 0 takes a free one. */
  public static EmbeddedMongo start(int port) {
    IdIndexedMemoryBackend backend = new IdIndexedMemoryBackend();
    MongoServer server = new MongoServer(backend);
    server.bind(HOST, port);
    InetSocketAddress address = server.getLocalAddress();
    backend.replication(HOST + ":" + address.getPort());
    return new EmbeddedMongo(server, address, backend);
  }

  /**
   * Tells {@code commands} the name and the {@code comment} (null if none) of every command this
   * server receives, until told otherwise: a test seam, to prove what a client sends.
   */
  public void onCommand(BiConsumer<String, Object> commands) {
    backend.onCommand(commands);
  }

  /**
   * What this server answers to {@code replSetGetStatus} and {@code replSetGetConfig}: a
   * standalone's error until a test makes it describe a replica set with a lag of its choosing (a
   * test seam).
   */
  public SimulatedReplicaSet replication() {
    return backend.replication(HOST + ":" + port());
  }

  public int port() {
    return address.getPort();
  }

  /** {@code mongodb://127.0.0.1:<port>}. */
  public String connectionString() {
    return "mongodb://" + HOST + ":" + port();
  }

  @Override
  public void close() {
    server.shutdownNow();
  }
}
