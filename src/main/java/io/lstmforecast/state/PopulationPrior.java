package io.lstmforecast.state;

import java.util.Arrays;

/**
 * What every entity's errors have shown about the model against the baseline, per horizon step: the rolling mean over
 * about {@link #WINDOW} scored forecasts of all entities of the per-forecast advantage
 * (baseline error^2 - model error^2) / their mean, in [-2, 2]. A young entity's combination weights start from it
 * ({@link CombinationWeights}), so a pedestrian seen for twenty frames is served what the crowd has shown rather than
 * an even split.
 *
 * <p>One per forecasting operator instance, kept in operator state (not per entity): it is the population's, and a
 * restart or a rescale that loses it only makes young entities start from an even split until it learns again.
 */
public final class PopulationPrior {
    /** Scored forecasts the prior averages over. */
    public static final int WINDOW = 1000;

    private final long[] count;
    private final float[] advantage;

    public PopulationPrior(int horizon) {
        this(new long[horizon], new float[horizon]);
    }

    public PopulationPrior(long[] count, float[] advantage) {
        if (count.length != advantage.length) {
            throw new IllegalArgumentException("count and advantage differ in length");
        }
        this.count = count;
        this.advantage = advantage;
    }

    public int horizon() {
        return advantage.length;
    }

    /** The population's advantage of the model at step k (0 before any score). */
    public double advantage(int k) {
        return k <= advantage.length ? advantage[k - 1] : 0;
    }

    /** Adds one entity's squared k-step errors, [k - 1], NaN where none was scored. */
    public void observe(float[] modelSq, float[] baselineSq) {
        for (int k = 1; k <= advantage.length && k <= modelSq.length; k++) {
            if (Float.isNaN(modelSq[k - 1]) || Float.isNaN(baselineSq[k - 1])) {
                continue;
            }
            long n = ++count[k - 1];
            double a = CombinationWeights.advantage(modelSq[k - 1], baselineSq[k - 1]);
            advantage[k - 1] = (float) (advantage[k - 1] + (a - advantage[k - 1]) / Math.min(n, WINDOW));
        }
    }

    public long[] counts() {
        return count.clone();
    }

    public float[] advantages() {
        return advantage.clone();
    }

    /** The mean of several instances' priors (after a rescale), each weighted by its count at every step. */
    public static PopulationPrior merge(int horizon, Iterable<PopulationPrior> parts) {
        long[] n = new long[horizon];
        double[] sum = new double[horizon];
        for (PopulationPrior p : parts) {
            for (int k = 0; k < Math.min(horizon, p.horizon()); k++) {
                n[k] += p.count[k];
                sum[k] += (double) p.count[k] * p.advantage[k];
            }
        }
        float[] a = new float[horizon];
        for (int k = 0; k < horizon; k++) {
            a[k] = n[k] > 0 ? (float) (sum[k] / n[k]) : 0;
        }
        return new PopulationPrior(n, a);
    }

    @Override
    public String toString() {
        return "PopulationPrior" + Arrays.toString(advantage);
    }
}
