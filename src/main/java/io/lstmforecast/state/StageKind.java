package io.lstmforecast.state;

import java.util.function.Function;

/**
 * A stage as {@link Stages} registers it: where its value sits in every {@link EntityState}, its codec, the value of
 * an entity whose stored state does not hold it, and how a forecaster builds the stage for its model and policy.
 *
 * @param index            the value's slot in an entity's state; never reused, also the stage's id in a checkpoint
 * @param name             what errors and docs call it
 * @param absent           the value of an entity whose state was written before the stage existed (restarted by
 *                         {@link Stage#fit} on the entity's next event)
 * @param codec            how its value is written and read
 * @param build            the stage for a forecaster's model and policy
 * @param replacesForecast whether the stage replaces the forecast that later stages see and the job serves (the ring
 *                         of pending forecasts then keeps the weight of each served forecast beside the model's
 *                         and the baseline's)
 */
public record StageKind<S>(
        int index,
        String name,
        S absent,
        StageCodec<S> codec,
        Function<Setup, Stage<S>> build,
        boolean replacesForecast) {
    @Override
    public String toString() {
        return name;
    }
}
