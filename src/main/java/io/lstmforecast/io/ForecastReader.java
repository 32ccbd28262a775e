package io.lstmforecast.io;

import com.fasterxml.jackson.databind.JsonNode;
import io.lstmforecast.event.Forecast;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a forecast record as {@link OutputJson#forecast} writes it, for everything that reads the forecasts topic back
 * (the view, the demo, the tests). It is lenient, because a reader must outlast the writer: a record that lacks what a
 * forecast is (entity, event time, targets, horizon, forecast) reads as null, and optional parts that are missing or of
 * another shape read as null, or NaN for one value. Per-step arrays are horizon x targets, row-major
 * ({@code [k * targets + t]}), as in {@link Forecast}.
 */
public final class ForecastReader {
    private ForecastReader() {}

    /**
     * The record, or null when it is not a forecast or holds more than {@code maxTargets} targets or a horizon beyond
     * {@code maxHorizon} (bounds for readers that keep what they read, checked before anything is allocated). A missing
     * step reads as -1.
     */
    public static Forecast read(JsonNode o, int maxTargets, int maxHorizon) {
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
        if (targets.isEmpty() || targets.size() > maxTargets || horizon < 1 || horizon > maxHorizon) {
            return null;
        }
        float[] forecast = steps(o.get("forecast"), targets, horizon);
        if (forecast == null) {
            return null;
        }
        JsonNode model = o.path("model");
        return new Forecast(
                o.get("entity").asText(),
                o.get("event_time").asLong(),
                text(model.get("name")),
                text(model.get("version")),
                o.path("step").asLong(-1),
                List.copyOf(targets),
                horizon,
                steps(o.get("actual"), targets, 1),
                forecast,
                steps(o.get("previous_error"), targets, 1),
                steps(o.get("rolling_mae"), targets, 1),
                steps(o.get("rolling_rmse"), targets, 1),
                steps(o.get("lower"), targets, horizon),
                steps(o.get("upper"), targets, horizon),
                text(o.get("baseline")),
                steps(o.get("baseline_forecast"), targets, horizon),
                steps(o.get("baseline_mae"), targets, 2),
                steps(o.get("skill"), targets, 2),
                steps(o.get("model_forecast"), targets, horizon),
                numbers(o.get("weight"), horizon));
    }

    /**
     * {target: [n numbers]} (or {target: number} when n is 1) into [k * targets + t]; null (or a non-number) reads as
     * NaN, and anything of another shape as a whole reads as null.
     */
    private static float[] steps(JsonNode m, List<String> targets, int n) {
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

    /** [n numbers] as they are (null or a non-number as NaN); anything of another shape, or shorter, reads as null. */
    private static float[] numbers(JsonNode a, int n) {
        if (a == null || !a.isArray() || a.size() < n) {
            return null;
        }
        float[] v = new float[n];
        for (int k = 0; k < n; k++) {
            v[k] = number(a.get(k));
        }
        return v;
    }

    /**
     * A number of the record; NaN for null or anything else, except the texts NaN, Infinity and -Infinity, which is how
     * the writer spells a float that JSON has no number for.
     */
    public static float number(JsonNode x) {
        if (x != null && x.isNumber()) {
            return (float) x.asDouble();
        }
        if (x != null && x.isTextual()) {
            return switch (x.asText()) {
                case "Infinity" -> Float.POSITIVE_INFINITY;
                case "-Infinity" -> Float.NEGATIVE_INFINITY;
                default -> Float.NaN;
            };
        }
        return Float.NaN;
    }

    private static String text(JsonNode x) {
        return x == null || x.isNull() ? null : x.asText();
    }
}
