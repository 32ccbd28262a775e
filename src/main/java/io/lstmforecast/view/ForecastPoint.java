package io.lstmforecast.view;

import com.fasterxml.jackson.databind.JsonNode;
import io.lstmforecast.event.Forecast;
import io.lstmforecast.io.ForecastReader;
import java.util.List;

/**
 * One forecast record as the view keeps it: read with {@link ForecastReader}, within bounds, so a strange record
 * cannot take the view's memory, and with its texts cut to {@value #MAX_TEXT} characters. A record the reader cannot
 * read is skipped, so a record from an older or newer job never stops the view.
 */
record ForecastPoint(
        long seq,
        String entity,
        long eventTime,
        long step,
        String model,
        String version,
        List<String> targets,
        int horizon,
        float[] actual,
        float[] forecast,
        float[] lower,
        float[] upper,
        float[] previousError,
        float[] mae,
        String baseline,
        float[] skill,
        float[] weight) {
    static final int MAX_TARGETS = 16;
    static final int MAX_HORIZON = 512;
    private static final int MAX_TEXT = 256;

    /** The record, or null when it is not a forecast the view can draw. */
    static ForecastPoint parse(JsonNode o, long seq) {
        Forecast f = ForecastReader.read(o, MAX_TARGETS, MAX_HORIZON);
        if (f == null) {
            return null;
        }
        return new ForecastPoint(
                seq,
                cut(f.entityId()),
                f.eventTime(),
                f.step(),
                cut(f.modelName()),
                cut(f.modelVersion()),
                f.targets(),
                f.horizon(),
                f.actual(),
                f.forecast(),
                f.lower(),
                f.upper(),
                f.previousError(),
                f.mae(),
                cut(f.baseline()),
                f.skill(),
                f.weight());
    }

    private static String cut(String s) {
        return s == null || s.length() <= MAX_TEXT ? s : s.substring(0, MAX_TEXT);
    }

    /** The mean of {@code count} values from {@code from} (of their sizes when {@code abs}), NaN left out; NaN if none. */
    static float mean(float[] values, int from, int count, boolean abs) {
        if (values == null) {
            return Float.NaN;
        }
        double sum = 0;
        int n = 0;
        for (int i = from; i < from + count && i < values.length; i++) {
            if (!Float.isNaN(values[i])) {
                sum += abs ? Math.abs(values[i]) : values[i];
                n++;
            }
        }
        return n == 0 ? Float.NaN : (float) (sum / n);
    }
}
