package app.achievements.cli;

import picocli.CommandLine.IVersionProvider;

/** {@code --version}: the {@code Implementation-Version} of the jar's manifest. */
final class ManifestVersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() {
    String version = ManifestVersionProvider.class.getPackage().getImplementationVersion();
    return new String[] {
      "achievements-migrate " + (version == null ? "(development build, no jar manifest)" : version)
    };
  }
}
