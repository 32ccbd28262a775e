package io.lstmforecast.state;

/**
 * Everything the job remembers about one entity between its events.
 *
 * <p>h and c are kept because they are the LSTM's memory of the entity's history: losing them
 * means re-warming from scratch. The last one-step forecast is kept to score it when the next
 * actual value arrives. The model id says which model wrote h and c, so a swapped model never
 * reads another model's state. The last few raw inputs are kept only when the job re-warms
 * entities after a model swap (rewarm-events > 0); otherwise the array is empty.
 *
 * @param modelId       name@version of the model that wrote h and c
 * @param h             hidden state, layer-major: layer l at [l*H, (l+1)*H)
 * @param c             cell state, same layout; empty for GRU
 * @param steps         events applied so far
 * @param lastEventTime event time of the last applied event (epoch millis)
 * @param lastForecast  the one-step-ahead forecast made at the last event, per target
 * @param error         rolling statistics of the one-step forecast error, per target
 * @param lastAlertStep the step at which the entity last raised a residual alert (-1: never), kept so an
 *                      alert cool-down can hold back the repeats of one incident
 * @param recentInputs  up to rewarm-events raw feature vectors, oldest first, flattened
 * @param intervals     the entity's prediction intervals (errors per horizon step, pending forecasts); they describe
 *                      the errors of the model that wrote h and c, so they restart when the state does
 * @param likelihood    the anomaly likelihood of the entity's standardised residuals
 * @param baseline      the recent values the baseline forecasts from; they belong to the entity and survive a swap
 * @param skill         the rolling MAEs of model and baseline and the forecasts waiting to be scored; they describe the
 *                      model that wrote h and c, so they restart when the state does
 */
public record EntityState(
        String modelId,
        float[] h,
        float[] c,
        long steps,
        long lastEventTime,
        float[] lastForecast,
        RollingError error,
        long lastAlertStep,
        float[] recentInputs,
        IntervalState intervals,
        AnomalyLikelihood likelihood,
        BaselineHistory baseline,
        SkillTracker skill) {
    public static final long NEVER_ALERTED = -1;

    /** The state of an entity never seen before: zero h and c, as PyTorch's default h0 and c0. */
    public static EntityState fresh(
            String modelId, int layers, int hidden, boolean cellState, int targets, IntervalState intervals) {
        return new EntityState(
                modelId,
                new float[layers * hidden],
                new float[cellState ? layers * hidden : 0],
                0,
                Long.MIN_VALUE,
                new float[0],
                RollingError.empty(targets),
                NEVER_ALERTED,
                new float[0],
                intervals,
                AnomalyLikelihood.empty(targets, AnomalyLikelihood.noveltyUnits(layers * hidden)),
                BaselineHistory.NONE,
                SkillTracker.OFF);
    }

    /** This state with other statistics beside the model's memory. */
    public EntityState withStatistics(
            IntervalState newIntervals,
            AnomalyLikelihood newLikelihood,
            BaselineHistory newBaseline,
            SkillTracker newSkill) {
        return new EntityState(
                modelId,
                h,
                c,
                steps,
                lastEventTime,
                lastForecast,
                error,
                lastAlertStep,
                recentInputs,
                newIntervals,
                newLikelihood,
                newBaseline,
                newSkill);
    }

    public EntityState copy() {
        return new EntityState(
                modelId,
                h.clone(),
                c.clone(),
                steps,
                lastEventTime,
                lastForecast.clone(),
                error.copy(),
                lastAlertStep,
                recentInputs.clone(),
                intervals.copy(),
                likelihood.copy(),
                baseline.copy(),
                skill.copy());
    }
}
