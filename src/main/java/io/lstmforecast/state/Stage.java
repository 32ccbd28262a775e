package io.lstmforecast.state;

/**
 * One concern of an entity's state (its recurrent memory, its baseline's history, its intervals...) as a forecaster
 * built for one model and policy handles it. The value kept per entity is an immutable {@code S}; a stage never
 * changes a value, it returns the next one.
 *
 * <p>Stages advance in the order {@link Stages#ALL} lists them, all with the same {@link Step}: a stage reads what the
 * event brought and what earlier stages handed on (the baseline's forecast, the forecast served, the likelihood), and
 * may hand on more. How a value is written to and read from a checkpoint is its kind's {@link StageCodec}.
 */
public interface Stage<S> {
    /** Which stage this is: where its value sits in an {@link EntityState}, and its codec. */
    StageKind<S> kind();

    /** The value of an entity never seen before. */
    S fresh();

    /**
     * The value to use from a stored one: itself if it was kept for this model's shape and this policy's settings,
     * else what it becomes (fresh, or the parts that still fit). A stored value may come from another model, another
     * setting or a damaged checkpoint. {@code restarted} tells which stages before this one did not fit, for a stage
     * whose value describes another's (the skill measures against the baseline's history).
     */
    S fit(S stored, Restarts restarted);

    /**
     * The value after a model whose state cannot be continued takes over the entity (another model that does not
     * declare this state compatible): kept (it belongs to the entity), re-warmed, or fresh (it described the old
     * model's forecasts).
     */
    S swapped(S value);

    /** The value after the event in {@code step}. */
    S advance(S value, Step step);

    /** Which stages restarted while an entity's stored state was fitted to a forecaster. */
    interface Restarts {
        boolean restarted(StageKind<?> kind);
    }
}
