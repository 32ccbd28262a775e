package io.lstmforecast.state;

/**
 * The model's memory of one entity, and what the entity's next event needs of its last one. h and c are kept because
 * they are the model's summary of the entity's history: losing them means re-warming from scratch. The last one-step
 * forecast is kept to score it when the next actual value arrives. The last few raw inputs are kept only when the job
 * re-warms entities after a model swap (rewarm-events > 0); otherwise the array is empty.
 *
 * @param h             hidden state, layer-major: layer l at [l*H, (l+1)*H)
 * @param c             cell state, same layout; empty for GRU
 * @param steps         events applied so far
 * @param lastEventTime event time of the last applied event (epoch millis); Long.MIN_VALUE before any
 * @param lastForecast  the one-step-ahead forecast served at the last event, per target (empty before any)
 * @param error         rolling statistics of the one-step forecast error, per target
 * @param recentInputs  up to rewarm-events input rows, oldest first, flattened
 */
public record Memory(
        float[] h,
        float[] c,
        long steps,
        long lastEventTime,
        float[] lastForecast,
        RollingError error,
        float[] recentInputs) {
    /** The memory of a state that holds nothing yet (no model has stepped it). */
    public static final Memory EMPTY = new Memory(
            new float[0], new float[0], 0, Long.MIN_VALUE, new float[0], RollingError.empty(0), new float[0]);

    public Memory copy() {
        return new Memory(
                h.clone(), c.clone(), steps, lastEventTime, lastForecast.clone(), error.copy(), recentInputs.clone());
    }
}
