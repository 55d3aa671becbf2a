package app.achievements.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * A line chart of users/s, one line per series, drawn with Java2D into a PNG: against batch size (a
 * log scale) for the sweep, against round trip (evenly spaced) for the distance benchmark. No
 * charting library for two pictures.
 */
final class Chart {

  private static final int WIDTH = 900;
  private static final int HEIGHT = 540;
  private static final int LEFT = 90;
  private static final int RIGHT = 170;
  private static final int TOP = 64;
  private static final int BOTTOM = 70;
  private static final Color[] COLORS = {
    new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0x9467bd)
  };

  private Chart() {}

  /** The horizontal axis: its label, the measured values, and whether their scale is a log one. */
  record Axis(String label, List<Integer> values, boolean log) {}

  /**
   * Draws {@code series} (writer count → users/s per batch size, in the order of {@code
   * batchSizes}) under {@code title} and {@code subtitle} into {@code png}.
   */
  static void draw(
      Path png,
      String title,
      String subtitle,
      List<Integer> batchSizes,
      Map<Integer, double[]> series)
      throws IOException {
    Map<String, double[]> named = new LinkedHashMap<>();
    series.forEach(
        (writers, values) -> named.put(writers + (writers == 1 ? " writer" : " writers"), values));
    draw(png, title, subtitle, new Axis("--batch-size (log scale)", batchSizes, true), named);
  }

  /**
   * Draws {@code series} (its label → users/s at each value of {@code axis}, in order) under {@code
   * title} and {@code subtitle} into {@code png}.
   */
  static void draw(Path png, String title, String subtitle, Axis axis, Map<String, double[]> series)
      throws IOException {
    List<Integer> xs = axis.values();
    System.setProperty("java.awt.headless", "true");
    BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(
        RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, WIDTH, HEIGHT);

    double max = 0;
    for (double[] values : series.values()) {
      for (double v : values) {
        max = Math.max(max, v);
      }
    }
    double top = niceCeiling(max * 1.1);
    int plotWidth = WIDTH - LEFT - RIGHT;
    int plotHeight = HEIGHT - TOP - BOTTOM;

    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
    g.drawString(title, LEFT, 26);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
    g.drawString(subtitle, LEFT, 46);

    // y grid and labels
    for (int i = 0; i <= 5; i++) {
      double value = top * i / 5;
      int y = TOP + plotHeight - (int) Math.round(plotHeight * i / 5.0);
      g.setColor(new Color(0xdddddd));
      g.drawLine(LEFT, y, LEFT + plotWidth, y);
      g.setColor(Color.BLACK);
      String label = String.format(Locale.ROOT, "%,.0f", value);
      g.drawString(label, LEFT - 10 - g.getFontMetrics().stringWidth(label), y + 5);
    }
    // x ticks at the measured values
    for (int i = 0; i < xs.size(); i++) {
      int x = x(axis, i, plotWidth);
      g.setColor(new Color(0xdddddd));
      g.drawLine(x, TOP, x, TOP + plotHeight);
      g.setColor(Color.BLACK);
      String label = Integer.toString(xs.get(i));
      g.drawString(label, x - g.getFontMetrics().stringWidth(label) / 2, TOP + plotHeight + 20);
    }
    g.drawRect(LEFT, TOP, plotWidth, plotHeight);
    g.drawString(
        axis.label(),
        LEFT + plotWidth / 2 - g.getFontMetrics().stringWidth(axis.label()) / 2,
        TOP + plotHeight + 48);
    Graphics2D vertical = (Graphics2D) g.create();
    vertical.rotate(-Math.PI / 2);
    vertical.drawString("users/s (end to end)", -(TOP + plotHeight / 2 + 60), 25);
    vertical.dispose();

    int line = 0;
    for (Map.Entry<String, double[]> entry : series.entrySet()) {
      Color color = COLORS[line % COLORS.length];
      g.setColor(color);
      g.setStroke(new BasicStroke(2.5f));
      double[] values = entry.getValue();
      int previousX = -1;
      int previousY = -1;
      for (int i = 0; i < values.length; i++) {
        int x = x(axis, i, plotWidth);
        int y = TOP + plotHeight - (int) Math.round(plotHeight * values[i] / top);
        if (previousX >= 0) {
          g.drawLine(previousX, previousY, x, y);
        }
        g.fillOval(x - 4, y - 4, 9, 9);
        previousX = x;
        previousY = y;
      }
      int legendY = TOP + 20 + line * 24;
      g.drawLine(LEFT + plotWidth + 20, legendY - 5, LEFT + plotWidth + 50, legendY - 5);
      g.setColor(Color.BLACK);
      g.drawString(entry.getKey(), LEFT + plotWidth + 58, legendY);
      line++;
    }
    g.dispose();
    ImageIO.write(image, "png", png.toFile());
  }

  /** Where the {@code i}-th value of {@code axis} goes. */
  private static int x(Axis axis, int i, int plotWidth) {
    List<Integer> xs = axis.values();
    double share;
    if (xs.size() == 1) {
      share = 0.5;
    } else if (axis.log()) {
      double min = Math.log10(xs.get(0));
      double max = Math.log10(xs.get(xs.size() - 1));
      share = max == min ? 0.5 : (Math.log10(xs.get(i)) - min) / (max - min);
    } else {
      share = i / (double) (xs.size() - 1);
    }
    return LEFT + (int) Math.round(plotWidth * share);
  }

  /** A round number of five grid steps, at least {@code value}. */
  private static double niceCeiling(double value) {
    if (value <= 0) {
      return 1;
    }
    double power = Math.pow(10, Math.floor(Math.log10(value)));
    for (double step : new double[] {1, 1.25, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10}) {
      if (step * power >= value) {
        return step * power;
      }
    }
    return 10 * power;
  }
}
