package app.achievements.embedded;

import de.bwaldvogel.mongo.MongoServer;
import java.net.InetSocketAddress;

/**
 * An in-process MongoDB server (mongo-java-server, in memory, with the {@code _id}-index fix of
 * {@link IdIndexedMemoryBackend}) on the loopback interface. For the demo, the sandbox and tests.
 */
public final class EmbeddedMongo implements AutoCloseable {

  /** The loopback address the server listens on: never reachable from another machine. */
  public static final String HOST = "127.0.0.1";

  private final MongoServer server;
  private final InetSocketAddress address;

  private EmbeddedMongo(MongoServer server, InetSocketAddress address) {
    this.server = server;
    this.address = address;
  }

  /** Starts a server on {@code port} of {@link #HOST}; port 0 takes a free one. */
  public static EmbeddedMongo start(int port) {
    MongoServer server = new MongoServer(new IdIndexedMemoryBackend());
    server.bind(HOST, port);
    return new EmbeddedMongo(server, server.getLocalAddress());
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
