package app.achievements.support;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy on loopback, in plain Java sockets, between the tool and a server, that injects the
 * faults of a production network on command:
 *
 * <ul>
 *   <li>{@link #cutAll}: every connection reset at once (new ones are accepted);
 *   <li>{@link #silence}: every connection kept open, new ones accepted, nothing forwarded (a
 *       network that drops packets without telling anyone);
 *   <li>{@link #goDown}: every connection reset and new ones refused (a crashed server or a
 *       failover, as the client sees it);
 *   <li>{@link #slow}: a delay before each chunk is forwarded, in order;
 *   <li>{@link #heal}: back to forwarding everything, on the same port; data held back by a silence
 *       goes on.
 * </ul>
 */
public final class FaultProxy implements AutoCloseable {

  private enum Mode {
    PASS,
    SILENT,
    DOWN,
    SLOW
  }

  private final InetSocketAddress target;
  private final int port;
  private final List<Socket> open = new CopyOnWriteArrayList<>();
  private final AtomicInteger cuts = new AtomicInteger();
  private final AtomicLong fromServer = new AtomicLong();
  private final AtomicInteger accepted = new AtomicInteger();
  private volatile long trigger = Long.MAX_VALUE;
  private volatile Runnable onTrigger;
  private volatile ServerSocket listener;
  private volatile Mode mode = Mode.PASS;
  private volatile Duration delay = Duration.ZERO;
  private volatile boolean closed;

  public FaultProxy(int targetPort) throws IOException {
    this.target = new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort);
    ServerSocket first = new ServerSocket();
    first.setReuseAddress(true);
    first.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    this.port = first.getLocalPort();
    listen(first);
  }

  public int port() {
    return port;
  }

  /** Bytes forwarded from the server to the client so far: how far a command has got. */
  public long bytesFromServer() {
    return fromServer.get();
  }

  public int cuts() {
    return cuts.get();
  }

  /** Connections accepted so far: a client that timed out on a socket opens a new one. */
  public int accepted() {
    return accepted.get();
  }

  /**
   * Runs {@code fault} once, on the thread that forwards it, when the bytes from the server pass
   * {@code bytes}: a fault in the middle of a command, wherever its timing falls.
   */
  public void onBytesFromServer(long bytes, Runnable fault) {
    onTrigger = fault;
    trigger = bytes;
  }

  /** Resets every connection through the proxy; new ones are accepted as before. */
  public void cutAll() {
    cuts.incrementAndGet();
    for (Socket socket : open) {
      reset(socket);
    }
    open.clear();
  }

  /** Forwards nothing from now on, on old and new connections alike, until {@link #heal}. */
  public synchronized void silence() {
    mode = Mode.SILENT;
  }

  /** Holds each chunk back by {@code delay} before forwarding it, until {@link #heal}. */
  public synchronized void slow(Duration delay) {
    this.delay = delay;
    mode = Mode.SLOW;
  }

  /** Resets every connection and refuses new ones until {@link #heal}. */
  public synchronized void goDown() {
    mode = Mode.DOWN;
    closeQuietly(listener);
    cutAll();
  }

  /** Forwards everything again, accepting connections on the same port. */
  public synchronized void heal() throws IOException {
    if (mode == Mode.DOWN && !closed) {
      ServerSocket again = new ServerSocket();
      again.setReuseAddress(true);
      again.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      listen(again);
    }
    mode = Mode.PASS;
    notifyAll();
  }

  @Override
  public synchronized void close() {
    closed = true;
    mode = Mode.DOWN;
    closeQuietly(listener);
    cutAll();
    notifyAll();
  }

  private void listen(ServerSocket socket) {
    listener = socket;
    Thread acceptor = new Thread(() -> accept(socket), "proxy-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  private void accept(ServerSocket socket) {
    while (!socket.isClosed()) {
      try {
        Socket client = socket.accept();
        accepted.incrementAndGet();
        Socket server = new Socket(target.getAddress(), target.getPort());
        open.add(client);
        open.add(server);
        pump(client, server, false);
        pump(server, client, true);
      } catch (IOException e) {
        // closed: refused from now on
      }
    }
  }

  /** Waits while forwarding is held back; false once the connection is to be dropped. */
  private synchronized boolean mayForward() throws InterruptedException {
    while (mode == Mode.SILENT) {
      wait();
    }
    return mode != Mode.DOWN;
  }

  private void pump(Socket from, Socket to, boolean fromTheServer) {
    Thread thread =
        new Thread(
            () -> {
              byte[] buffer = new byte[64 * 1024];
              try (InputStream in = from.getInputStream();
                  OutputStream out = to.getOutputStream()) {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                  if (!mayForward()) {
                    return;
                  }
                  if (mode == Mode.SLOW) {
                    Thread.sleep(delay.toMillis());
                  }
                  out.write(buffer, 0, n);
                  out.flush();
                  if (fromTheServer && fromServer.addAndGet(n) > trigger) {
                    fire();
                  }
                }
              } catch (IOException e) {
                // cut
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              } finally {
                reset(from);
                reset(to);
              }
            },
            "proxy-pump");
    thread.setDaemon(true);
    thread.start();
  }

  private void fire() {
    Runnable fault;
    synchronized (this) {
      fault = onTrigger;
      onTrigger = null;
      trigger = Long.MAX_VALUE;
    }
    if (fault != null) {
      fault.run();
    }
  }

  /** Closes {@code socket} with a reset (RST), as a crashed peer's kernel does. */
  private static void reset(Socket socket) {
    try {
      socket.setSoLinger(true, 0);
    } catch (IOException e) {
      // already closed
    }
    closeQuietly(socket);
  }

  private static void closeQuietly(Closeable closeable) {
    if (closeable == null) {
      return;
    }
    try {
      closeable.close();
    } catch (IOException e) {
      // already closed
    }
  }
}
