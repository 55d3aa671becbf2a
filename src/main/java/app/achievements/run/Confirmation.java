package app.achievements.run;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.util.Optional;

/** Where the operator's answer to the confirmation prompt comes from. */
@FunctionalInterface
public interface Confirmation {

  /**
   * One line typed or piped by the operator, without its line ending; empty when the input is
   * closed or at its end, which is a refusal: nothing more can come.
   */
  Optional<String> readLine();

  /**
   * Asks {@code question} on {@code out} and reads the answer: true for {@code YES} exactly; any
   * other answer, or none, is a refusal, said on {@code out}.
   */
  default boolean ask(PrintWriter out, String question) {
    out.print(question + " Type YES to continue: ");
    out.flush();
    Optional<String> answer = readLine();
    // Piped answers are not echoed: end the prompt's line either way.
    out.println();
    if (answer.isEmpty()) {
      out.println(
          "Aborted: no answer on standard input (closed or at its end); nothing was written."
              + " Use --yes to run without the prompt.");
    } else if (!answer.get().equals("YES")) {
      out.println("Aborted: the answer was not YES; nothing was written.");
    }
    out.flush();
    return answer.isPresent() && answer.get().equals("YES");
  }

  /** Reads the answer from {@code in} (standard input, on the command line). */
  static Confirmation from(InputStream in, Charset charset) {
    BufferedReader reader = new BufferedReader(new InputStreamReader(in, charset));
    return () -> {
      try {
        return Optional.ofNullable(reader.readLine());
      } catch (IOException closed) {
        return Optional.empty();
      }
    };
  }
}
