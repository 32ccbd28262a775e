package io.lstmforecast.sql;

import io.lstmforecast.event.Alert;
import io.lstmforecast.event.DeadLetterReason;
import io.lstmforecast.event.Forecast;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.types.Row;

/**
 * LSTM_FORECAST's output row for one input row. Flink puts the partition key (the entity) before these columns and
 * the {@code on_time} column ({@code rowtime}, the event time) after them. Values per target are maps keyed by the
 * target's name; a forecast is an array over horizon steps, so {@code forecast['y'][1]} is y one step ahead (SQL arrays
 * count from 1). A value not known yet (an interval still learning, a skill not scored yet) is null, never NaN.
 */
final class ForecastRows {
    /** The columns and their SQL types, in {@link #of}'s order. */
    static final String COLUMNS = "step BIGINT, "
            + "actual MAP<STRING, FLOAT>, "
            + "forecast MAP<STRING, ARRAY<FLOAT>>, "
            + "lower_bound MAP<STRING, ARRAY<FLOAT>>, "
            + "upper_bound MAP<STRING, ARRAY<FLOAT>>, "
            + "previous_error MAP<STRING, FLOAT>, "
            + "mae MAP<STRING, FLOAT>, "
            + "baseline STRING, "
            + "baseline_forecast MAP<STRING, ARRAY<FLOAT>>, "
            + "model_forecast MAP<STRING, ARRAY<FLOAT>>, "
            + "weight ARRAY<FLOAT>, "
            + "skill MAP<STRING, ARRAY<FLOAT>>, "
            + "alert BOOLEAN, "
            + "alert_score FLOAT, "
            + "alert_likelihood DOUBLE, "
            + "model_name STRING, "
            + "model_version STRING, "
            + "error STRING";

    static final String TYPE = "ROW<" + COLUMNS + ">";

    private static final int ALERT = 12;
    private static final int MODEL_NAME = 15;
    private static final int MODEL_VERSION = 16;
    private static final int ERROR = 17;
    private static final int ARITY = 18;

    private ForecastRows() {}

    /**
     * The row of an applied event. {@code skill} is [skill at step 1, skill at step H] per target; the alert columns
     * describe the strongest of the event's alerts (null score and likelihood when it raised none). {@code
     * model_forecast} and {@code weight} are null when the model's forecast is what is served (combine: model or
     * baseline, or no baseline), as in the job's forecast record.
     */
    static Row of(Forecast f, List<Alert> alerts) {
        Alert strongest = null;
        for (Alert a : alerts) {
            if (strongest == null || a.score() > strongest.score()) {
                strongest = a;
            }
        }
        List<String> targets = f.targets();
        return Row.of(
                f.step(),
                perTarget(targets, f.actual()),
                perStep(targets, f.forecast()),
                perStep(targets, f.lower()),
                perStep(targets, f.upper()),
                perTarget(targets, f.previousError()),
                perTarget(targets, f.mae()),
                f.baseline(),
                perStep(targets, f.baselineForecast()),
                perStep(targets, f.modelForecast()),
                boxed(f.weight()),
                perStep(targets, f.skill()),
                strongest != null,
                strongest == null ? null : strongest.score(),
                strongest == null || Double.isNaN(strongest.likelihood()) ? null : strongest.likelihood(),
                f.modelName(),
                f.modelVersion(),
                null);
    }

    /** The row of an input row the job would dead-letter: only the model and {@code error} ("reason: detail"). */
    static Row rejected(String modelName, String modelVersion, DeadLetterReason reason, String detail) {
        Row row = new Row(ARITY);
        row.setField(ALERT, false);
        row.setField(MODEL_NAME, modelName);
        row.setField(MODEL_VERSION, modelVersion);
        row.setField(ERROR, reason.id() + ": " + detail);
        return row;
    }

    /** values[t] keyed by target; null stays null. */
    private static Map<String, Float> perTarget(List<String> targets, float[] values) {
        if (values == null) {
            return null;
        }
        Map<String, Float> m = new LinkedHashMap<>();
        for (int t = 0; t < targets.size(); t++) {
            m.put(targets.get(t), finiteOrNull(values[t]));
        }
        return m;
    }

    /** A steps x targets row-major array as target -> its values over the steps; null stays null. */
    private static Map<String, Float[]> perStep(List<String> targets, float[] values) {
        if (values == null) {
            return null;
        }
        int n = targets.size();
        Map<String, Float[]> m = new LinkedHashMap<>();
        for (int t = 0; t < n; t++) {
            Float[] steps = new Float[values.length / n];
            for (int k = 0; k < steps.length; k++) {
                steps[k] = finiteOrNull(values[k * n + t]);
            }
            m.put(targets.get(t), steps);
        }
        return m;
    }

    /** The values as an array of their own; null stays null. */
    private static Float[] boxed(float[] values) {
        if (values == null) {
            return null;
        }
        Float[] out = new Float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = finiteOrNull(values[i]);
        }
        return out;
    }

    private static Float finiteOrNull(float v) {
        return Float.isFinite(v) ? v : null;
    }
}
