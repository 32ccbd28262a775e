package io.lstmforecast.eval;

import io.lstmforecast.config.Intervals;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The parts the series evaluations (taxi, ETT, NAB) share: the settings' description, interval rows and the plot. */
final class SeriesReport {
    private SeriesReport() {}

    /** The series method's settings as a table cell. */
    static String describe(SeriesMethod.Settings s) {
        return String.format(
                Locale.ROOT,
                "H=%d, window %d, lr %s, %s%s head, time features %s, %s, %s, epoch chosen %s",
                s.hidden(),
                s.window(),
                s.learningRate(),
                s.residual() ? "residual " : "",
                s.direct() ? "direct" : "recursive",
                s.timeFeatures().isEmpty() ? "none" : String.join("+", s.timeFeatures()),
                s.augment() ? "level/scale augmentation" : "no augmentation",
                s.carry()
                        ? "state carried across windows" + (s.stateNoise() > 0 ? " with noise " + s.stateNoise() : "")
                                + (s.stateReset() > 0 ? " reset with chance " + s.stateReset() : "")
                        : "windows from zero state",
                s.streamedChoice() ? "streamed" : "on windows");
    }

    /**
     * Realised coverage and mean width of the default intervals over rows [from, end), as Markdown rows (every step up
     * to 24, then every 24th and the last); the first step's figures go to {@code figures} as coverage and width, every
     * step's as coverage_by_step and width_by_step.
     */
    static String intervalRows(StreamedSeries s, int from, String unit, Map<String, Object> figures) {
        StringBuilder t = new StringBuilder(String.format(
                Locale.ROOT,
                "| default %.0f %% intervals (intervals.coverage), streamed, from row %d | realised coverage | mean width (%s) |%n|---|---|---|%n",
                100 * Intervals.DEFAULT.coverage(),
                from,
                unit));
        List<Double> coverage = new ArrayList<>();
        List<Double> width = new ArrayList<>();
        for (int k = 1; k <= s.horizon(); k++) {
            coverage.add(s.coverage(k, from));
            width.add(s.meanWidth(k, from));
            if (k > 24 && k % 24 != 0 && k != s.horizon()) {
                continue; // beyond a day, one row a day: the JSON has every step
            }
            t.append(String.format(
                    Locale.ROOT,
                    "| %d step%s ahead | %.3f | %.1f |%n",
                    k,
                    k == 1 ? "" : "s",
                    coverage.get(k - 1),
                    width.get(k - 1)));
        }
        figures.put("coverage", coverage.get(0));
        figures.put("width", width.get(0));
        figures.put("coverage_by_step", coverage);
        figures.put("width_by_step", width);
        return t.toString();
    }

    /** Rows [from, to): actual values, the k-step forecast made for each, its interval band, the alerts and labelled windows. */
    static LinePlot plot(StreamedSeries s, String title, int k, int from, int to, List<int[]> windows) {
        double[] x = new double[to - from];
        double[] alerts = new double[to - from];
        double[] windowLow = new double[to - from];
        double[] windowHigh = new double[to - from];
        double[] actual = Arrays.copyOfRange(s.values(), from, to);
        double min = Arrays.stream(actual).min().orElse(0);
        double max = Arrays.stream(actual).max().orElse(0);
        for (int i = 0; i < x.length; i++) {
            x[i] = from + i;
            alerts[i] = s.alerts()[from + i] ? s.values()[from + i] : Double.NaN;
            int row = from + i;
            boolean labelled = windows.stream().anyMatch(w -> w[0] <= row && row <= w[1]);
            windowLow[i] = labelled ? min : Double.NaN;
            windowHigh[i] = labelled ? max : Double.NaN;
        }
        String steps = k + " step" + (k == 1 ? "" : "s");
        String interval = Math.round(100 * Intervals.DEFAULT.coverage()) + " % interval";
        LinePlot p = new LinePlot(
                        title + ": actual, forecast made " + steps + " earlier, its " + interval + ", alerts",
                        "row",
                        "value")
                .band(
                        interval,
                        x,
                        Arrays.copyOfRange(s.lowerFor(k), from, to),
                        Arrays.copyOfRange(s.upperFor(k), from, to));
        if (!windows.isEmpty()) {
            p.band("labelled anomaly window", x, windowLow, windowHigh);
        }
        return p.add("actual", x, actual, false)
                .add("forecast (" + steps + " ahead)", x, Arrays.copyOfRange(s.forecastFor(k), from, to), false)
                .points("alert (default rule)", x, alerts);
    }
}
