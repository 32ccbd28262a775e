package io.lstmforecast.state;

import java.util.Arrays;

/**
 * The forecasts an entity made at its last H events that still wait for their actual values, at every step: the
 * model's, the baseline's, and when a stage serves a combination of the two, the model's weight at each step
 * (the served forecast is then w * model + (1 - w) * baseline, recomputed here bit for bit as {@link #mix} made it).
 * Every stage that scores k-step errors reads them here, so each is kept once. Laid out as a {@link Triangle} per
 * track (the weights per step, the forecasts per step and target); NaN marks a forecast never made (the entity's first
 * events, after a reset, or a track that restarted).
 *
 * @param horizon  H, the steps per forecast (0: nothing kept)
 * @param targets  targets per forecast
 * @param model    the model's forecasts
 * @param baseline the baseline's (empty when the job has no baseline)
 * @param weight   the model's weight in each served forecast, per step (empty when the model's forecast is served)
 */
public record PendingForecasts(int horizon, int targets, float[] model, float[] baseline, float[] weight) {
    /** Nothing kept: state written before this ring existed, or by a job that kept none. */
    public static final PendingForecasts NONE = new PendingForecasts(0, 0, new float[0], new float[0], new float[0]);

    public static PendingForecasts fresh(int horizon, int targets, boolean baseline, boolean combined) {
        return new PendingForecasts(
                horizon,
                targets,
                Triangle.empty(horizon, targets),
                baseline ? Triangle.empty(horizon, targets) : new float[0],
                combined ? Triangle.empty(horizon, 1) : new float[0]);
    }

    /** The length a kept forecast track has for this shape. */
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

    /** The served one, likewise: the model's unless a stage served a combination. */
    public float served(int k, int t) {
        return weight.length == 0 ? model(k, t) : mix(weight[k - 1], model(k, t), baseline(k, t));
    }

    /** Every served forecast, in the forecast tracks' layout. */
    public float[] served() {
        if (weight.length == 0) {
            return model;
        }
        float[] served = new float[model.length];
        for (int i = 0; i < served.length; i++) {
            served[i] = mix(weight[i / targets], model[i], baseline[i]);
        }
        return served;
    }

    /** The served forecast: w * model + (1 - w) * baseline. */
    static float mix(float w, float model, float baseline) {
        return w * model + (1 - w) * baseline;
    }

    /**
     * The ring after an event at which these forecasts were made (horizon x targets row-major; {@code baseline} null
     * when the job has none, {@code weight} the model's weight per step, null when the model's forecast was served).
     */
    public PendingForecasts push(float[] model, float[] baseline, float[] weight) {
        return new PendingForecasts(
                horizon,
                targets,
                Triangle.shift(this.model, model, horizon, targets),
                this.baseline.length == 0 ? this.baseline : Triangle.shift(this.baseline, baseline, horizon, targets),
                this.weight.length == 0 ? this.weight : Triangle.shift(this.weight, weight, horizon, 1));
    }

    public PendingForecasts copy() {
        return new PendingForecasts(horizon, targets, model.clone(), baseline.clone(), weight.clone());
    }

    @Override
    public String toString() {
        return "PendingForecasts[horizon=" + horizon + ", targets=" + targets + ", model=" + Arrays.toString(model)
                + ", baseline=" + Arrays.toString(baseline) + ", weight=" + Arrays.toString(weight) + "]";
    }
}
