package app.achievements.bench;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A network of a given round trip, on loopback: a TCP proxy that delays every byte by half the
 * round trip in each direction, as a link to a cluster in another region does, without limiting how
 * many bytes are on the way (a delay line, not a slow link: each direction has a reader that stamps
 * what arrives and a writer that sends it once its time has come). The benchmark puts one between
 * every measured client and the server.
 */
final class DelayProxy implements Closeable {

  /** What arrived, and when it may go on. */
  private record Chunk(byte[] bytes, long dueNanos) {}

  private static final Chunk END = new Chunk(new byte[0], 0);

  private final ServerSocket listener;
  private final InetSocketAddress target;
  private final long oneWayNanos;
  private final List<Socket> open = new CopyOnWriteArrayList<>();
  private volatile boolean closed;

  /** A proxy to {@code targetPort} on loopback whose round trip is {@code roundTrip}. */
  DelayProxy(int targetPort, Duration roundTrip) throws IOException {
    this.target = new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort);
    this.oneWayNanos = roundTrip.toNanos() / 2;
    this.listener = new ServerSocket();
    listener.setReuseAddress(true);
    listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    Thread accept = new Thread(this::accept, "delay-proxy-accept");
    accept.setDaemon(true);
    accept.start();
  }

  /**
   * {@code java -cp target/test-classes:target/migrate.jar app.achievements.bench.DelayProxy PORT
   * MS}: a proxy to {@code PORT} on loopback at a round trip of {@code MS}, until stopped; prints
   * its URI.
   */
  public static void main(String[] args) throws Exception {
    try (DelayProxy proxy =
        new DelayProxy(Integer.parseInt(args[0]), Duration.ofMillis(Long.parseLong(args[1])))) {
      System.out.println(proxy.uri());
      Thread.currentThread().join();
    }
  }

  /** {@code mongodb://127.0.0.1:<port>}: the server, at this distance. */
  String uri() {
    return "mongodb://127.0.0.1:" + listener.getLocalPort();
  }

  private void accept() {
    while (!closed) {
      try {
        Socket client = listener.accept();
        Socket server = new Socket();
        server.connect(target);
        for (Socket socket : List.of(client, server)) {
          socket.setTcpNoDelay(true);
          open.add(socket);
        }
        relay(client, server, "up");
        relay(server, client, "down");
      } catch (IOException e) {
        if (!closed) {
          System.err.println("delay proxy: " + e);
        }
      }
    }
  }

  /** Forwards {@code from} to {@code to}, each chunk half a round trip after it arrived. */
  private void relay(Socket from, Socket to, String direction) throws IOException {
    BlockingQueue<Chunk> line = new LinkedBlockingQueue<>();
    InputStream in = from.getInputStream();
    OutputStream out = to.getOutputStream();
    Thread reader =
        new Thread(
            () -> {
              byte[] buffer = new byte[64 * 1024];
              try {
                for (int read; (read = in.read(buffer)) > 0; ) {
                  line.add(new Chunk(Arrays.copyOf(buffer, read), System.nanoTime() + oneWayNanos));
                }
              } catch (IOException e) {
                // closed: the writer ends at END
              }
              line.add(END);
            },
            "delay-proxy-" + direction + "-read");
    Thread writer =
        new Thread(
            () -> {
              try {
                for (Chunk chunk; (chunk = line.take()) != END; ) {
                  long wait = chunk.dueNanos() - System.nanoTime();
                  if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                  }
                  out.write(chunk.bytes());
                  out.flush();
                }
              } catch (IOException | InterruptedException e) {
                // closed
              } finally {
                closeQuietly(from);
                closeQuietly(to);
              }
            },
            "delay-proxy-" + direction + "-write");
    reader.setDaemon(true);
    writer.setDaemon(true);
    reader.start();
    writer.start();
  }

  private void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // closed already
    }
    open.remove(socket);
  }

  @Override
  public void close() throws IOException {
    closed = true;
    listener.close();
    open.forEach(this::closeQuietly);
  }
}
