package app.achievements.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class SandboxCommandTest {

  @Test
  void servesSeededUsersUntilStopped() throws Exception {
    StringWriter out = new StringWriter();
    AtomicInteger exit = new AtomicInteger(-1);
    Thread sandbox =
        new Thread(
            () ->
                exit.set(
                    Main.commandLine(
                            new Context(
                                new ByteArrayInputStream(new byte[0]), Clock.systemUTC(), Map.of()),
                            new PrintWriter(out, true),
                            new PrintWriter(new StringWriter(), true))
                        .execute("sandbox", "--port", "0", "--users", "120")));
    sandbox.start();
    Matcher uri = Pattern.compile("on (mongodb://127\\.0\\.0\\.1:\\d+)\n").matcher("");
    for (int i = 0; i < 200 && !uri.reset(out.toString()).find(); i++) {
      Thread.sleep(50);
    }
    assertThat(uri.reset(out.toString()).find()).as(out.toString()).isTrue();
    try (MongoClient client = MongoClients.create(uri.group(1))) {
      assertThat(client.getDatabase("sandbox").getCollection("users").countDocuments())
          .isEqualTo(120);
    }
    assertThat(out.toString()).contains("--uri " + uri.group(1) + " -d sandbox --dry-run");

    sandbox.interrupt();
    sandbox.join(10_000);
    assertThat(sandbox.isAlive()).isFalse();
    assertThat(exit.get()).isZero();
    assertThat(out.toString()).endsWith("Sandbox stopped.\n");
  }

  @Test
  void portInUseIsAUsageErrorNamingThePort() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      StringWriter err = new StringWriter();
      int exit =
          Main.commandLine(
                  new Context(new ByteArrayInputStream(new byte[0]), Clock.systemUTC(), Map.of()),
                  new PrintWriter(new StringWriter(), true),
                  new PrintWriter(err, true))
              .execute("sandbox", "--port", Integer.toString(taken.getLocalPort()));
      assertThat(exit).isEqualTo(2);
      assertThat(err.toString())
          .startsWith("error: cannot listen on 127.0.0.1:" + taken.getLocalPort() + " (")
          .endsWith("); choose another --port (see --help)\n");
      assertThat(err.toString().lines()).hasSize(1);
    }
  }

  @Test
  void badPortIsAUsageError() {
    StringWriter err = new StringWriter();
    int exit =
        Main.commandLine(
                new Context(new ByteArrayInputStream(new byte[0]), Clock.systemUTC(), Map.of()),
                new PrintWriter(new StringWriter(), true),
                new PrintWriter(err, true))
            .execute("sandbox", "--port", "70000");
    assertThat(exit).isEqualTo(2);
    assertThat(err.toString())
        .isEqualTo("error: --port must be 0 to 65535, not 70000 (see --help)\n");
  }
}
