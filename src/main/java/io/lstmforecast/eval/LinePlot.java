package io.lstmforecast.eval;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * A small PNG line chart (headless java.awt): named series of (x, y) points (lines, lines with markers, or markers
 * alone), shaded bands between a lower and an upper curve, a legend and axis ranges. NaN points are left out.
 */
public final class LinePlot {
    private static final Color[] COLORS = {
        new Color(31, 119, 180),
        new Color(255, 127, 14),
        new Color(44, 160, 44),
        new Color(214, 39, 40),
        new Color(148, 103, 189)
    };

    private enum Style {
        LINE,
        LINE_AND_MARKERS,
        MARKERS
    }

    private record Series(String name, double[] x, double[] y, Style style) {}

    private record Band(String name, double[] x, double[] lower, double[] upper) {}

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final List<Series> series = new ArrayList<>();
    private final List<Band> bands = new ArrayList<>();

    public LinePlot(String title, String xLabel, String yLabel) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
    }

    public LinePlot add(String name, double[] x, double[] y, boolean markers) {
        series.add(new Series(name, x, y, markers ? Style.LINE_AND_MARKERS : Style.LINE));
        return this;
    }

    /** Markers only, no line: e.g. the points where an alert fired. */
    public LinePlot points(String name, double[] x, double[] y) {
        series.add(new Series(name, x, y, Style.MARKERS));
        return this;
    }

    /** A shaded band between two curves, drawn under the lines: e.g. a prediction interval. */
    public LinePlot band(String name, double[] x, double[] lower, double[] upper) {
        bands.add(new Band(name, x, lower, upper));
        return this;
    }

    private static final Color[] BANDS = {new Color(150, 190, 230, 150), new Color(255, 170, 80, 70)};
    private static final Color MARKER = new Color(214, 39, 40);

    /** Data to pixel coordinates. */
    private record Frame(
            int left, int width, int base, int height, double minX, double maxX, double minY, double maxY) {
        int x(double v) {
            return left + (int) Math.round((v - minX) / (maxX - minX + 1e-12) * width);
        }

        int y(double v) {
            return base - (int) Math.round((v - minY) / (maxY - minY) * height);
        }
    }

    /** A legend entry in the current colour. */
    private static void legend(Graphics2D g, String name, int row, int rightEdge) {
        g.fillRect(rightEdge - 220, 50 + 18 * row, 12, 12);
        g.setColor(Color.BLACK);
        g.drawString(name, rightEdge - 202, 61 + 18 * row);
    }

    public void write(Path png) throws IOException {
        System.setProperty("java.awt.headless", "true");
        int w = 1000;
        int h = 500;
        int left = 70;
        int right = 20;
        int top = 40;
        int bottom = 50;
        double minX = Double.MAX_VALUE, maxX = -Double.MAX_VALUE, minY = Double.MAX_VALUE, maxY = -Double.MAX_VALUE;
        List<Series> extents = new ArrayList<>(series);
        for (Band b : bands) {
            extents.add(new Series(b.name, b.x, b.lower, Style.LINE));
            extents.add(new Series(b.name, b.x, b.upper, Style.LINE));
        }
        for (Series s : extents) {
            for (int i = 0; i < s.x.length; i++) {
                if (Double.isNaN(s.y[i])) {
                    continue;
                }
                minX = Math.min(minX, s.x[i]);
                maxX = Math.max(maxX, s.x[i]);
                minY = Math.min(minY, s.y[i]);
                maxY = Math.max(maxY, s.y[i]);
            }
        }
        double padY = (maxY - minY) * 0.05 + 1e-9;
        minY -= padY;
        maxY += padY;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        g.drawString(title, left, 25);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.drawRect(left, top, w - left - right, h - top - bottom);
        g.drawString(xLabel, w / 2 - 40, h - 12);
        g.drawString(yLabel, 5, top - 5);
        g.drawString(String.format("%.3g", minY), 5, h - bottom);
        g.drawString(String.format("%.3g", maxY), 5, top + 12);
        g.drawString(String.format("%.4g", minX), left, h - bottom + 15);
        g.drawString(String.format("%.4g", maxX), w - right - 60, h - bottom + 15);
        Frame frame = new Frame(left, w - left - right, h - bottom, h - top - bottom, minX, maxX, minY, maxY);
        int legend = 0;
        for (Band b : bands) {
            g.setColor(BANDS[legend % BANDS.length]);
            for (int i = 1; i < b.x.length; i++) {
                if (Double.isNaN(b.lower[i - 1]) || Double.isNaN(b.lower[i])) {
                    continue;
                }
                g.fillPolygon(
                        new int[] {frame.x(b.x[i - 1]), frame.x(b.x[i]), frame.x(b.x[i]), frame.x(b.x[i - 1])},
                        new int[] {
                            frame.y(b.lower[i - 1]), frame.y(b.lower[i]), frame.y(b.upper[i]), frame.y(b.upper[i - 1])
                        },
                        4);
            }
            legend(g, b.name, legend++, w - right);
        }
        for (int k = 0; k < series.size(); k++) {
            Series s = series.get(k);
            g.setColor(s.style == Style.MARKERS ? MARKER : COLORS[k % COLORS.length]);
            g.setStroke(new BasicStroke(1.6f));
            int px = -1;
            int py = -1;
            for (int i = 0; i < s.x.length; i++) {
                if (Double.isNaN(s.y[i])) {
                    px = -1;
                    continue;
                }
                int x = frame.x(s.x[i]);
                int y = frame.y(s.y[i]);
                if (px >= 0 && s.style != Style.MARKERS) {
                    g.drawLine(px, py, x, y);
                }
                if (s.style != Style.LINE) {
                    g.fillOval(x - 4, y - 4, 8, 8);
                }
                px = x;
                py = y;
            }
            legend(g, s.name, legend++, w - right);
        }
        g.dispose();
        Files.createDirectories(png.toAbsolutePath().getParent());
        ImageIO.write(img, "png", png.toFile());
    }
}
