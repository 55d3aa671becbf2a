package app.achievements;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The docs someone who clones the repository reads: every relative link resolves inside it (to a
 * file, and to a heading where it names one), the README stays an operator's page, and the contract
 * in {@code docs/SPEC.md} is the shared one.
 */
class DocsTest {

  private static final Path ROOT = Path.of("").toAbsolutePath();
  private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
  private static final Pattern HEADING = Pattern.compile("^#{1,6} (.+)$", Pattern.MULTILINE);

  private static List<Path> docs() throws IOException {
    List<Path> docs = new ArrayList<>();
    docs.add(ROOT.resolve("README.md"));
    docs.add(ROOT.resolve("CONTRIBUTING.md"));
    docs.add(ROOT.resolve("bench/README.md"));
    try (Stream<Path> files = Files.list(ROOT.resolve("docs"))) {
      files.filter(f -> f.toString().endsWith(".md")).sorted().forEach(docs::add);
    }
    return docs;
  }

  @Test
  void everyRelativeLinkResolvesInsideTheRepository() throws IOException {
    List<String> broken = new ArrayList<>();
    for (Path doc : docs()) {
      Matcher link = LINK.matcher(Files.readString(doc));
      while (link.find()) {
        String target = link.group(1);
        if (target.matches("^[a-z]+:.*")) {
          continue; // https:, mailto:
        }
        int hash = target.indexOf('#');
        String file = hash < 0 ? target : target.substring(0, hash);
        Path resolved = file.isEmpty() ? doc : doc.getParent().resolve(file).normalize();
        String where = ROOT.relativize(doc) + " -> " + target;
        if (!resolved.startsWith(ROOT) || !Files.exists(resolved)) {
          broken.add(where + ": no such file in the repository");
        } else if (hash >= 0 && !anchors(resolved).contains(target.substring(hash + 1))) {
          broken.add(where + ": no such heading");
        }
      }
    }
    assertThat(broken).isEmpty();
  }

  @Test
  void theReadmeIsAnOperatorsPageOfTenKilobytesAtMost() throws IOException {
    assertThat(Files.size(ROOT.resolve("README.md"))).isLessThanOrEqualTo(10 * 1024);
  }

  @Test
  void theContractIsTheSharedOneByteForByte() throws IOException {
    Path shared = ROOT.resolve("../shared/SPEC.md").normalize();
    Assumptions.assumeTrue(Files.exists(shared), "no shared workspace beside this clone");
    assertThat(ROOT.resolve("docs/SPEC.md")).hasSameBinaryContentAs(shared);
  }

  /** The anchors GitHub gives the headings of {@code doc}. */
  private static Set<String> anchors(Path doc) throws IOException {
    if (!doc.toString().endsWith(".md")) {
      return Set.of();
    }
    return HEADING
        .matcher(Files.readString(doc))
        .results()
        .map(heading -> slug(heading.group(1)))
        .collect(Collectors.toSet());
  }

  /** GitHub's heading anchor: lower case, punctuation dropped, spaces as hyphens. */
  static String slug(String heading) {
    return heading
        .strip()
        .toLowerCase(Locale.ROOT)
        .replaceAll("[^\\p{L}\\p{N} _-]", "")
        .replace(' ', '-');
  }
}
