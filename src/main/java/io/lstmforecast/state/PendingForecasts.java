package io.lstmforecast.state;

import java.util.Arrays;

/**
 * The forecasts an entity made at its last H events that still wait for their actual values, at every step: the
 * model's, the baseline's, and the served ones when a stage serves something other than the model's forecast. Every
 * stage that scores k-step errors reads them here, so each is kept once. Laid out as a {@link Triangle} per track;
 * NaN marks a forecast never made (the entity's first events, after a reset, or a track that restarted).
 *
 * @param horizon  H, the steps per forecast (0: nothing kept)
 * @param targets  targets per forecast
 * @param model    the model's forecasts
 * @param baseline the baseline's (empty when the job has no baseline)
 * @param served   the served forecasts (empty when they are the model's)
 */
public record PendingForecasts(int horizon, int targets, float[] model, float[] baseline, float[] served) {
    /** Nothing kept: state written before this ring existed, or by a job that kept none. */
    public static final PendingForecasts NONE = new PendingForecasts(0, 0, new float[0], new float[0], new float[0]);

    public static PendingForecasts fresh(int horizon, int targets, boolean baseline, boolean served) {
        return new PendingForecasts(
                horizon,
                targets,
                Triangle.empty(horizon, targets),
                baseline ? Triangle.empty(horizon, targets) : new float[0],
                served ? Triangle.empty(horizon, targets) : new float[0]);
    }

    /** The length a kept track has for this shape. */
    int trackLength() {
        return Triangle.size(horizon) * targets;
    }

    /** The model's k-step forecast of target t for the event arriving now (made k events ago); NaN if none. */
    public float model(int k, int t) {
        return model[(k - 1) * targets + t];
    }

    /** The baseline's, likewise. */
    public float baseline(int k, int t) {
        return baseline[(k - 1) * targets + t];
    }

    /** The served one, likewise: the model's unless a stage served another. */
    public float served(int k, int t) {
        return served.length == 0 ? model(k, t) : served[(k - 1) * targets + t];
    }

    /**
     * The ring after an event at which these forecasts were made (horizon x targets row-major; {@code baseline} null
     * when the job has none, {@code served} the same array as {@code model} when the model's was served).
     */
    public PendingForecasts push(float[] model, float[] baseline, float[] served) {
        return new PendingForecasts(
                horizon,
                targets,
                Triangle.shift(this.model, model, horizon, targets),
                this.baseline.length == 0 ? this.baseline : Triangle.shift(this.baseline, baseline, horizon, targets),
                this.served.length == 0 ? this.served : Triangle.shift(this.served, served, horizon, targets));
    }

    public PendingForecasts copy() {
        return new PendingForecasts(horizon, targets, model.clone(), baseline.clone(), served.clone());
    }

    @Override
    public String toString() {
        return "PendingForecasts[horizon=" + horizon + ", targets=" + targets + ", model=" + Arrays.toString(model)
                + ", baseline=" + Arrays.toString(baseline) + ", served=" + Arrays.toString(served) + "]";
    }
}
