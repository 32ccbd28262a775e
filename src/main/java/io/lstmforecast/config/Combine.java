package io.lstmforecast.config;

/**
 * Job setting {@code combine}: what the job serves at each horizon step, given the model's forecast and the baseline's.
 *
 * <ul>
 *   <li>{@link #ONLINE}: w_k * model + (1 - w_k) * baseline, with the model's weight w_k at step k learnt online from the
 *   entity's recent k-step errors of both, starting from what all entities have shown (state.CombinationWeights,
 *   state.PopulationPrior).</li>
 *   <li>{@link #MODEL}: the model's forecast alone.</li>
 *   <li>{@link #BASELINE}: the baseline's forecast alone.</li>
 * </ul>
 *
 * With {@code baseline: none} there is nothing to combine with, and the model's forecast is served whatever this says.
 */
public enum Combine {
    ONLINE,
    MODEL,
    BASELINE
}
