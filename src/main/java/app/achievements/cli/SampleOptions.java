package app.achievements.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code --users N}: how many sample users the demo and the sandbox seed. */
final class SampleOptions {

  static final int MAX_USERS = 1_000_000;

  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  @Option(
      names = "--users",
      paramLabel = "N",
      defaultValue = "5000",
      description = "How many sample users to seed, 1 to 1000000 (default: ${DEFAULT-VALUE}).")
  int users;

  /** The validated count. */
  int users() {
    if (users < 1 || users > MAX_USERS) {
      throw new ParameterException(
          spec.commandLine(), "--users must be 1 to " + MAX_USERS + ", not " + users);
    }
    return users;
  }
}
