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

/** A small PNG line chart (headless java.awt): named series of (x, y) points, a legend and axis ranges. */
public final class LinePlot {
    private static final Color[] COLORS = {new Color(31, 119, 180), new Color(255, 127, 14), new Color(44, 160, 44),
        new Color(214, 39, 40), new Color(148, 103, 189)};

    private record Series(String name, double[] x, double[] y, boolean markers) {
    }

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final List<Series> series = new ArrayList<>();

    public LinePlot(String title, String xLabel, String yLabel) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
    }

    public LinePlot add(String name, double[] x, double[] y, boolean markers) {
        series.add(new Series(name, x, y, markers));
        return this;
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
        for (Series s : series) {
            for (int i = 0; i < s.x.length; i++) {
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
        for (int k = 0; k < series.size(); k++) {
            Series s = series.get(k);
            g.setColor(COLORS[k % COLORS.length]);
            g.setStroke(new BasicStroke(1.6f));
            int px = -1;
            int py = -1;
            for (int i = 0; i < s.x.length; i++) {
                int x = left + (int) Math.round((s.x[i] - minX) / (maxX - minX + 1e-12) * (w - left - right));
                int y = h - bottom - (int) Math.round((s.y[i] - minY) / (maxY - minY) * (h - top - bottom));
                if (px >= 0) {
                    g.drawLine(px, py, x, y);
                }
                if (s.markers) {
                    g.fillOval(x - 3, y - 3, 6, 6);
                }
                px = x;
                py = y;
            }
            g.fillRect(w - right - 220, top + 10 + 18 * k, 12, 12);
            g.setColor(Color.BLACK);
            g.drawString(s.name, w - right - 202, top + 21 + 18 * k);
        }
        g.dispose();
        Files.createDirectories(png.toAbsolutePath().getParent());
        ImageIO.write(img, "png", png.toFile());
    }
}
