package io.lstmforecast.local;

import io.lstmforecast.event.Forecast;
import java.io.PrintStream;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The demo's live console: the latest forecast of each entity as a table, redrawn in place
 * (ANSI cursor-home and clear) so a terminal shows a steady view rather than a scrolling log.
 */
public final class ConsoleView {
    private static final String HOME_AND_CLEAR = "\033[H\033[2J";

    private final Map<String, Forecast> latest = new LinkedHashMap<>();
    private final int maxRows;
    private long forecasts;
    private long deadLetters;
    private long alerts;

    public ConsoleView(int maxRows) {
        this.maxRows = maxRows;
    }

    public synchronized void onForecast(Forecast f) {
        latest.put(f.entityId(), f);
        forecasts++;
    }

    public synchronized void onDeadLetter() {
        deadLetters++;
    }

    public synchronized void onAlert() {
        alerts++;
    }

    public synchronized long forecastCount() {
        return forecasts;
    }

    /** Redraws the whole view. */
    public void draw(PrintStream out, String header) {
        out.print(HOME_AND_CLEAR);
        out.print(render(header));
        out.flush();
    }

    /** The view as text: a header, the counters and one row per entity (first target, next steps). */
    public synchronized String render(String header) {
        StringBuilder b = new StringBuilder(header).append('\n');
        String baseline = latest.values().stream()
                .map(Forecast::baseline)
                .filter(java.util.Objects::nonNull)
                .findFirst()
                .map(name -> "   skill: one step, vs " + name)
                .orElse("");
        b.append(String.format(
                Locale.ROOT,
                "entities %d   forecasts %d   dead letters %d   alerts %d%s%n%n",
                latest.size(),
                forecasts,
                deadLetters,
                alerts,
                baseline));
        b.append(String.format(
                Locale.ROOT,
                "%-16s %-24s %6s %-8s %10s %10s %10s %10s %7s  %s%n",
                "entity",
                "event time",
                "step",
                "model",
                "target",
                "actual",
                "error",
                "MAE",
                "skill",
                "forecast (next steps)"));
        List<Forecast> rows = latest.values().stream()
                .sorted(Comparator.comparing(Forecast::entityId))
                .limit(maxRows)
                .toList();
        for (Forecast f : rows) {
            String target = f.targets().get(0);
            b.append(String.format(
                    Locale.ROOT,
                    "%-16s %-24s %6d %-8s %10s %10.3f %10s %10s %7s  %s%n",
                    clip(f.entityId(), 16),
                    Instant.ofEpochMilli(f.eventTime()),
                    f.step(),
                    clip(f.modelVersion(), 8),
                    clip(target, 10),
                    f.actual()[0],
                    f.previousError() == null ? "-" : String.format(Locale.ROOT, "%.3f", f.previousError()[0]),
                    f.mae() == null ? "-" : String.format(Locale.ROOT, "%.3f", f.mae()[0]),
                    skill(f),
                    steps(f)));
        }
        if (latest.size() > rows.size()) {
            b.append(String.format(Locale.ROOT, "... and %d more entities%n", latest.size() - rows.size()));
        }
        return b.toString();
    }

    /**
     * The one-step skill of the first target against the job's baseline (1 - MAE(model) / MAE(baseline): above 0 the
     * model wins); "-" before it is scored or without a baseline.
     */
    private static String skill(Forecast f) {
        if (f.skill() == null || Float.isNaN(f.skill()[0])) {
            return "-";
        }
        return String.format(Locale.ROOT, "%+.2f", f.skill()[0]);
    }

    private static String steps(Forecast f) {
        int targets = f.targets().size();
        StringBuilder b = new StringBuilder();
        for (int k = 0; k < Math.min(f.horizon(), 6); k++) {
            b.append(String.format(Locale.ROOT, "%.2f ", f.forecast()[k * targets]));
        }
        return f.horizon() > 6 ? b.append("...").toString() : b.toString().trim();
    }

    private static String clip(String s, int width) {
        return s.length() <= width ? s : s.substring(0, width - 1) + "~";
    }
}
