package io.lstmforecast.state;

import java.util.Arrays;

/**
 * What every entity's errors have shown about the model against the baseline, per horizon step and per age of the
 * entity's state when the forecast was made: the rolling mean over about {@link #WINDOW} scored forecasts of all
 * entities of the per-forecast advantage (baseline error^2 - model error^2) / their mean, in [-2, 2]. An entity's
 * combination weights start from the prior of its age ({@link CombinationWeights}), so a pedestrian seen for twenty
 * frames is served what the crowd has shown at that age rather than an even split, and a state still warming up from
 * zeros is not served what mature states have earned.
 *
 * <p>Ages are counted in events of the entity ({@link CombinationWeights#scored()}); the buckets start at {@link #AGES}.
 * A prior with one bucket ({@link #flat}) pools all ages, as the job did before the buckets existed.
 *
 * <p>One per forecasting operator instance, kept in operator state (not per entity): it is the population's, and a
 * restart or a rescale that loses it only makes young entities start from an even split until it learns again.
 */
public final class PopulationPrior {
    /** Scored forecasts each bucket's mean averages over. */
    public static final int WINDOW = 1000;

    /**
     * The first age of each bucket: a state's first 10 events, then up to 25, 50, 100, and every age after. The model's
     * skill climbs over an entity's first few dozen events (docs/EVALUATION.md), so the young buckets are narrow.
     */
    public static final long[] AGES = {0, 10, 25, 50, 100};

    /** [bucket][k - 1]. */
    private final long[][] count;

    private final float[][] advantage;

    /** A fresh prior with a bucket per age of {@link #AGES}. */
    public PopulationPrior(int horizon) {
        this(new long[AGES.length][horizon], new float[AGES.length][horizon]);
    }

    /** A fresh prior pooling all ages in one bucket. */
    public static PopulationPrior flat(int horizon) {
        return new PopulationPrior(new long[][] {new long[horizon]}, new float[][] {new float[horizon]});
    }

    /** One bucket for all ages. */
    public PopulationPrior(long[] count, float[] advantage) {
        this(new long[][] {count}, new float[][] {advantage});
    }

    /** {@code count[bucket][k - 1]} and likewise the advantages: one bucket, or one per age of {@link #AGES}. */
    public PopulationPrior(long[][] count, float[][] advantage) {
        if (count.length != advantage.length || (count.length != 1 && count.length != AGES.length)) {
            throw new IllegalArgumentException("a prior has 1 or " + AGES.length + " age buckets, not " + count.length);
        }
        for (int a = 0; a < count.length; a++) {
            if (count[a].length != advantage[a].length || count[a].length != count[0].length) {
                throw new IllegalArgumentException("count and advantage differ in length");
            }
        }
        this.count = count;
        this.advantage = advantage;
    }

    public int horizon() {
        return advantage[0].length;
    }

    /** 1 (all ages pooled) or {@link #AGES}.length. */
    public int buckets() {
        return advantage.length;
    }

    /** The bucket of a state that has seen {@code age} events. */
    int bucket(long age) {
        int b = 0;
        while (b + 1 < buckets() && age >= AGES[b + 1]) {
            b++;
        }
        return b;
    }

    /** The population's advantage of the model at step k for states of this age (0 before any score there). */
    public double advantage(long age, int k) {
        return k <= horizon() ? advantage[bucket(age)][k - 1] : 0;
    }

    /** The advantage at step k of the oldest bucket: what mature states have shown. */
    public double advantage(int k) {
        return advantage(Long.MAX_VALUE, k);
    }

    /**
     * Adds one entity's squared k-step errors, [k - 1], NaN where none was scored; {@code age} is the entity's age at
     * this event, so the k-step forecast was made at age {@code age - k}.
     */
    public void observe(long age, float[] modelSq, float[] baselineSq) {
        for (int k = 1; k <= horizon() && k <= modelSq.length; k++) {
            if (Float.isNaN(modelSq[k - 1]) || Float.isNaN(baselineSq[k - 1])) {
                continue;
            }
            int b = bucket(Math.max(0, age - k));
            long n = ++count[b][k - 1];
            double a = CombinationWeights.advantage(modelSq[k - 1], baselineSq[k - 1]);
            advantage[b][k - 1] = (float) (advantage[b][k - 1] + (a - advantage[b][k - 1]) / Math.min(n, WINDOW));
        }
    }

    /** Adds forecasts made by mature states (the oldest bucket). */
    public void observe(float[] modelSq, float[] baselineSq) {
        observe(Long.MAX_VALUE, modelSq, baselineSq);
    }

    /** The oldest bucket's counts. */
    public long[] counts() {
        return counts(buckets() - 1);
    }

    /** The oldest bucket's advantages. */
    public float[] advantages() {
        return advantages(buckets() - 1);
    }

    public long[] counts(int bucket) {
        return count[bucket].clone();
    }

    public float[] advantages(int bucket) {
        return advantage[bucket].clone();
    }

    /**
     * The mean of several instances' priors (after a rescale), each weighted by its count at every bucket and step; a
     * one-bucket part (all ages pooled) counts as the oldest bucket. The result has a bucket per age.
     */
    public static PopulationPrior merge(int horizon, Iterable<PopulationPrior> parts) {
        long[][] n = new long[AGES.length][horizon];
        double[][] sum = new double[AGES.length][horizon];
        for (PopulationPrior p : parts) {
            for (int b = 0; b < p.buckets(); b++) {
                int into = p.buckets() == 1 ? AGES.length - 1 : b;
                for (int k = 0; k < Math.min(horizon, p.horizon()); k++) {
                    n[into][k] += p.count[b][k];
                    sum[into][k] += (double) p.count[b][k] * p.advantage[b][k];
                }
            }
        }
        float[][] a = new float[AGES.length][horizon];
        for (int b = 0; b < AGES.length; b++) {
            for (int k = 0; k < horizon; k++) {
                a[b][k] = n[b][k] > 0 ? (float) (sum[b][k] / n[b][k]) : 0;
            }
        }
        return new PopulationPrior(n, a);
    }

    @Override
    public String toString() {
        return "PopulationPrior" + Arrays.deepToString(advantage);
    }
}
