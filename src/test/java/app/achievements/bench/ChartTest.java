package app.achievements.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sweep's chart is a PNG with a line per writer count, in that line's colour. */
class ChartTest {

  @Test
  void drawsOneLinePerWriterCountIntoAPng(@TempDir Path dir) throws Exception {
    Map<Integer, double[]> series = new LinkedHashMap<>();
    series.put(1, new double[] {1000, 2000, 3000});
    series.put(4, new double[] {1500, 2500, 3500});
    Path png = dir.resolve("chart.png");

    Chart.draw(png, "title", "subtitle", List.of(100, 1000, 10000), series);

    BufferedImage image = ImageIO.read(png.toFile());
    assertThat(image.getWidth()).isEqualTo(900);
    assertThat(image.getHeight()).isEqualTo(540);
    assertThat(pixels(image, 0x1f77b4)).as("1 writer").isGreaterThan(100);
    assertThat(pixels(image, 0xd62728)).as("4 writers").isGreaterThan(100);
    assertThat(pixels(image, 0x2ca02c)).as("no third line").isZero();
  }

  private static int pixels(BufferedImage image, int rgb) {
    int count = 0;
    for (int x = 0; x < image.getWidth(); x++) {
      for (int y = 0; y < image.getHeight(); y++) {
        if ((image.getRGB(x, y) & 0xffffff) == rgb) {
          count++;
        }
      }
    }
    return count;
  }
}
