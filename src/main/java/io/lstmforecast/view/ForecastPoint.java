package io.lstmforecast.view;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * One forecast record as the view keeps it, read leniently from the JSON the job writes (io.OutputJson): a record
 * that lacks what the chart needs (entity, event time, targets, horizon, forecast) reads as null and is skipped,
 * and optional parts that are missing or malformed read as null or NaN, so a record from an older or newer job never
 * stops the view. Per-step arrays are horizon x targets, row-major ([k * targets + t]) as in the job.
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
        float[] skill) {
    /** Bounds on what one record may hold, so a strange record cannot take the view's memory. */
    static final int MAX_TARGETS = 16;

    static final int MAX_HORIZON = 512;
    private static final int MAX_TEXT = 256;

    /** The record, or null when it is not a forecast the view can draw. */
    static ForecastPoint parse(JsonNode o, long seq) {
        if (o == null
                || !o.path("entity").isTextual()
                || !o.path("event_time").canConvertToLong()
                || !o.path("targets").isArray()
                || !o.path("horizon").canConvertToInt()) {
            return null;
        }
        List<String> targets = new ArrayList<>();
        for (JsonNode t : o.get("targets")) {
            if (!t.isTextual()) {
                return null;
            }
            targets.add(t.asText());
        }
        int horizon = o.get("horizon").asInt();
        if (targets.isEmpty() || targets.size() > MAX_TARGETS || horizon < 1 || horizon > MAX_HORIZON) {
            return null;
        }
        float[] forecast = steps(o.get("forecast"), targets, horizon);
        if (forecast == null) {
            return null;
        }
        JsonNode model = o.path("model");
        return new ForecastPoint(
                seq,
                cut(o.get("entity").asText()),
                o.get("event_time").asLong(),
                o.path("step").asLong(-1),
                text(model.get("name")),
                text(model.get("version")),
                targets,
                horizon,
                steps(o.get("actual"), targets, 1),
                forecast,
                steps(o.get("lower"), targets, horizon),
                steps(o.get("upper"), targets, horizon),
                steps(o.get("previous_error"), targets, 1),
                steps(o.get("rolling_mae"), targets, 1),
                text(o.get("baseline")),
                steps(o.get("skill"), targets, 2));
    }

    /**
     * {target: [n numbers]} (or {target: number} when n is 1) into [k * targets + t]; null (or a non-number) reads as
     * NaN, and anything of another shape as a whole reads as null.
     */
    static float[] steps(JsonNode m, List<String> targets, int n) {
        if (m == null || !m.isObject()) {
            return null;
        }
        float[] v = new float[n * targets.size()];
        for (int t = 0; t < targets.size(); t++) {
            JsonNode perTarget = m.get(targets.get(t));
            if (perTarget == null) {
                return null;
            }
            if (n == 1 && !perTarget.isArray()) {
                v[t] = number(perTarget);
                continue;
            }
            if (!perTarget.isArray() || perTarget.size() < n) {
                return null;
            }
            for (int k = 0; k < n; k++) {
                v[k * targets.size() + t] = number(perTarget.get(k));
            }
        }
        return v;
    }

    static float number(JsonNode x) {
        return x != null && x.isNumber() ? (float) x.asDouble() : Float.NaN;
    }

    private static String text(JsonNode x) {
        return x == null || x.isNull() ? null : cut(x.asText());
    }

    private static String cut(String s) {
        return s.length() <= MAX_TEXT ? s : s.substring(0, MAX_TEXT);
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
