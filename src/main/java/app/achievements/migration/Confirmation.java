package app.achievements.migration;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
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
