package io.lstmforecast.state;

import io.lstmforecast.event.Alert;
import io.lstmforecast.event.Event;
import java.util.function.Consumer;

/**
 * One event of one entity as its stages see it: what the event and the model step brought, and what earlier stages hand
 * on to later ones. The forecaster fills the first group before the stages advance; each stage reads it, and the stages
 * named below write the second group. One instance is reused for every row of every batch.
 */
public final class Step {
    // Filled by the forecaster.
    /** The event. */
    Event event;
    /** Its target values. */
    float[] actual;
    /** The entity's state before the event, every stage's value (fitted to this forecaster). */
    EntityState before;
    /** actual - the one-step forecast served at the entity's previous event, per target; null when there is none. */
    float[] oneStepError;
    /** The batch the model stepped, and this event's row in it (the new h and c, the input row). */
    Rows rows;

    int row;
    /** Where the stages' alerts go. */
    Consumer<Alert> alerts;

    // Written by the stages, in their order.
    /** The model's forecast made at this event, horizon x targets row-major (the baseline stage may correct it). */
    float[] modelForecast;
    /** The baseline's forecast made at this event, same layout (baseline stage); null when the job has no baseline. */
    float[] baselineForecast;
    /** The forecast served and scored from here on: the model's unless a stage replaces it. */
    float[] forecast;
    /** The model's weight in the served forecast per step (combination stage); null when the model's is served. */
    float[] weights;
    /** The anomaly likelihood of each target at this event (likelihood stage); null while it is not scoring. */
    double[] likelihood;
    /** Whether this event scored a one-step interval, and whether its actual value lay inside (interval stage). */
    boolean scoredOneStep;

    boolean coveredOneStep;

    void start(int row, Event event, float[] actual, EntityState before, float[] oneStepError, float[] modelForecast) {
        this.row = row;
        this.event = event;
        this.actual = actual;
        this.before = before;
        this.oneStepError = oneStepError;
        this.modelForecast = modelForecast;
        this.forecast = modelForecast;
        this.baselineForecast = null;
        this.weights = null;
        this.likelihood = null;
        this.scoredOneStep = false;
        this.coveredOneStep = false;
    }

    public Event event() {
        return event;
    }

    public float[] actual() {
        return actual;
    }

    public EntityState before() {
        return before;
    }

    public float[] oneStepError() {
        return oneStepError;
    }

    public float[] modelForecast() {
        return modelForecast;
    }

    public float[] baselineForecast() {
        return baselineForecast;
    }

    public float[] forecast() {
        return forecast;
    }

    /**
     * Replaces the forecast served and seen by the stages after this one with the combination of the model's and the
     * baseline's forecasts whose model weight per horizon step is {@code weights}.
     */
    void serve(float[] served, float[] weights) {
        this.forecast = served;
        this.weights = weights;
    }
}
