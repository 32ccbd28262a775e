package io.lstmforecast.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CombinationWeightsTest {
    private static final int H = 4;

    /** Runs {@code events} events of squared errors with the given standard deviations; returns the weights after each. */
    private static float[][] run(double modelStd, double baselineStd, int events, PopulationPrior prior, long seed) {
        Random random = new Random(seed);
        CombinationWeights c = CombinationWeights.fresh(H);
        float[][] weights = new float[events][H];
        for (int e = 0; e < events; e++) {
            float[] m = new float[H];
            float[] b = new float[H];
            for (int k = 1; k <= H; k++) {
                // Errors grow with the step, as k-step errors do; the ratio between the two sides stays.
                double mk = modelStd * Math.sqrt(k) * random.nextGaussian();
                double bk = baselineStd * Math.sqrt(k) * random.nextGaussian();
                m[k - 1] = e >= k - 1 ? (float) (mk * mk) : Float.NaN;
                b[k - 1] = e >= k - 1 ? (float) (bk * bk) : Float.NaN;
            }
            c = c.advance(m, b);
            prior.observe(c.scored(), m, b);
            c.weights(prior, weights[e]);
        }
        return weights;
    }

    @Test
    void convergesToTheModelWhereItClearlyWins() {
        float[][] w = run(1, 2, 400, new PopulationPrior(H), 1);
        for (int e = 300; e < 400; e++) {
            for (int k = 0; k < H; k++) {
                assertTrue(w[e][k] > 0.95, "event " + e + " step " + (k + 1) + ": " + w[e][k]);
            }
        }
    }

    @Test
    void convergesToTheBaselineWhereItClearlyWins() {
        float[][] w = run(2, 1, 400, new PopulationPrior(H), 2);
        for (int e = 300; e < 400; e++) {
            for (int k = 0; k < H; k++) {
                assertTrue(w[e][k] < 0.05, "event " + e + " step " + (k + 1) + ": " + w[e][k]);
            }
        }
    }

    @Test
    void mixesWhereTheyTie() {
        float[][] w = run(1, 1, 3000, new PopulationPrior(H), 3);
        for (int k = 0; k < H; k++) {
            double sum = 0;
            double min = 1;
            double max = 0;
            for (int e = 1000; e < 3000; e++) {
                sum += w[e][k];
                min = Math.min(min, w[e][k]);
                max = Math.max(max, w[e][k]);
            }
            double mean = sum / 2000;
            assertTrue(mean > 0.35 && mean < 0.65, "step " + (k + 1) + " mean weight " + mean);
            // A tie is served as a mix, never as one side alone for long.
            assertTrue(min > 0.02 && max < 0.98, "step " + (k + 1) + " range " + min + ".." + max);
        }
    }

    @Test
    void aNewEntityStartsFromWhatThePopulationHasShown() {
        PopulationPrior prior = new PopulationPrior(H);
        for (int entity = 0; entity < 20; entity++) {
            run(1, 3, 100, prior, 4 + entity);
        }
        float[] young = new float[H];
        CombinationWeights.fresh(H).weights(prior, young);
        for (float v : young) {
            // Leans to the model, which the population's states of this age showed far better (a ninth of the error).
            assertTrue(v > 0.6, Arrays.toString(young));
        }
        float[] even = new float[H];
        CombinationWeights.fresh(H).weights(new PopulationPrior(H), even);
        for (float v : even) {
            assertEquals(0.5, v, 1e-7);
        }
    }

    @Test
    void anEntitysOwnEvidenceOutweighsThePriorAsItAges() {
        PopulationPrior prior = new PopulationPrior(H);
        run(1, 3, 500, prior, 5);
        // The population favours the model; this entity's model is far worse than its baseline.
        Random random = new Random(6);
        CombinationWeights c = CombinationWeights.fresh(H);
        float[] w = new float[H];
        for (int e = 0; e < 200; e++) {
            float[] m = new float[H];
            float[] b = new float[H];
            for (int k = 0; k < H; k++) {
                double mk = 3 * random.nextGaussian();
                double bk = random.nextGaussian();
                m[k] = (float) (mk * mk);
                b[k] = (float) (bk * bk);
            }
            c = c.advance(m, b);
        }
        c.weights(prior, w);
        for (float v : w) {
            assertTrue(v < 0.05, Arrays.toString(w));
        }
    }

    @Test
    void stepsWithoutAScoreLeaveTheirEvidenceAlone() {
        float[] nan = new float[H];
        Arrays.fill(nan, Float.NaN);
        CombinationWeights c = CombinationWeights.fresh(H).advance(nan, nan);
        assertEquals(0, c.scored());
        float[] first = {1, Float.NaN, Float.NaN, Float.NaN};
        float[] firstBase = {4, Float.NaN, Float.NaN, Float.NaN};
        c = c.advance(first, firstBase);
        assertEquals(1, c.scored());
        assertEquals(1, c.modelLoss()[0]);
        assertEquals(4, c.baselineLoss()[0]);
        assertEquals(0, c.modelLoss()[1]);
        // One scored one-step error is one event of evidence: (4 - 1) / 2.5 = 1.2, logit 0.05 * 1.2 (a rule that counts
        // the entity's own evidence from its first event on).
        float[] w = new float[H];
        c.weights(new PopulationPrior(H), new CombinationRule(0.05, 20, true, 0), w);
        assertEquals(CombinationWeights.quantize(1 / (1 + Math.exp(-0.05 * 1.2))), w[0]);
        assertEquals(0.5, w[1], 1e-7);
    }

    @Test
    void aServedWeightSurvivesItsByteExactly() {
        for (int q = 0; q <= CombinationWeights.LEVELS; q++) {
            float w = CombinationWeights.quantize(q / (double) CombinationWeights.LEVELS);
            assertEquals(w, CombinationWeights.fromByte(CombinationWeights.toByte(w)));
        }
        assertTrue(Float.isNaN(CombinationWeights.fromByte(CombinationWeights.toByte(Float.NaN))));
    }

    @Test
    void priorsOfSeveralInstancesMergeWeightedByTheirCounts() {
        PopulationPrior a = new PopulationPrior(new long[] {1, 3}, new float[] {1, -1});
        PopulationPrior b = new PopulationPrior(new long[] {3, 1}, new float[] {-1, 1});
        PopulationPrior m = PopulationPrior.merge(2, List.of(a, b));
        assertEquals(-0.5, m.advantage(1), 1e-7);
        assertEquals(-0.5, m.advantage(2), 1e-7);
        assertEquals(4, m.counts()[0]);
    }

    /**
     * A population whose model is far worse than the baseline while an entity's state is young (its first
     * {@code youngUntil} events: the state still warming up from zeros) and far better after: entities of
     * {@code events} events each, one after another, feeding {@code prior}.
     */
    private static void warmingPopulation(PopulationPrior prior, int entities, int events, int youngUntil, long seed) {
        Random random = new Random(seed);
        for (int entity = 0; entity < entities; entity++) {
            CombinationWeights c = CombinationWeights.fresh(H);
            for (int e = 0; e < events; e++) {
                float[] m = new float[H];
                float[] b = new float[H];
                for (int k = 1; k <= H; k++) {
                    // The k-step forecast scored now was made k events ago, by the state of that age.
                    boolean young = e - k < youngUntil;
                    double mk = (young ? 3 : 1) * random.nextGaussian();
                    double bk = (young ? 1 : 3) * random.nextGaussian();
                    m[k - 1] = e >= k ? (float) (mk * mk) : Float.NaN;
                    b[k - 1] = e >= k ? (float) (bk * bk) : Float.NaN;
                }
                c = c.advance(m, b);
                prior.observe(c.scored(), m, b);
            }
        }
    }

    @Test
    void aYoungEntityStartsFromWhatStatesOfItsAgeHaveShownNotWhatMatureOnesHave() {
        PopulationPrior byAge = new PopulationPrior(H);
        PopulationPrior pooled = PopulationPrior.flat(H);
        warmingPopulation(byAge, 30, 400, 25, 7);
        warmingPopulation(pooled, 30, 400, 25, 7);
        for (int k = 1; k <= H; k++) {
            // Ages 0-9 and 10-24: the model lost there; from 50 on it won.
            assertTrue(byAge.advantage(0, k) < -0.5, "age 0, step " + k + ": " + byAge.advantage(0, k));
            assertTrue(byAge.advantage(10, k) < -0.5, "age 10, step " + k + ": " + byAge.advantage(10, k));
            assertTrue(byAge.advantage(60, k) > 0.5, "age 60, step " + k + ": " + byAge.advantage(60, k));
            assertTrue(byAge.advantage(500, k) > 0.5, "age 500, step " + k + ": " + byAge.advantage(500, k));
            // Pooled, the mature states' wins hide the young states' losses.
            assertTrue(pooled.advantage(0, k) > 0.5, "pooled, step " + k + ": " + pooled.advantage(0, k));
        }
        float[] young = new float[H];
        CombinationWeights.fresh(H).weights(byAge, CombinationRule.DEFAULT, young);
        float[] youngPooled = new float[H];
        CombinationWeights.fresh(H).weights(pooled, new CombinationRule(0.05, 20, false), youngPooled);
        for (int k = 0; k < H; k++) {
            assertTrue(young[k] < 0.4, "a new entity by age leans to the baseline: " + Arrays.toString(young));
            assertTrue(youngPooled[k] > 0.6, "pooled it leans to the model: " + Arrays.toString(youngPooled));
        }
        // An entity that has grown old (its own evidence from its latest 100 events, where the model won) is served
        // the model under either prior.
        CombinationWeights old = CombinationWeights.fresh(H);
        Random random = new Random(8);
        for (int e = 0; e < 300; e++) {
            float[] m = new float[H];
            float[] b = new float[H];
            for (int k = 0; k < H; k++) {
                double mk = (e < 25 ? 3 : 1) * random.nextGaussian();
                double bk = (e < 25 ? 1 : 3) * random.nextGaussian();
                m[k] = (float) (mk * mk);
                b[k] = (float) (bk * bk);
            }
            old = old.advance(m, b);
        }
        float[] w = new float[H];
        old.weights(byAge, CombinationRule.DEFAULT, w);
        for (float v : w) {
            assertTrue(v > 0.95, Arrays.toString(w));
        }
    }

    @Test
    void aPriorPooledOverAllAgesMergesAsTheOldestBucket() {
        PopulationPrior pooled = new PopulationPrior(new long[] {10, 10}, new float[] {1, -1});
        PopulationPrior byAge = new PopulationPrior(2);
        byAge.observe(0, new float[] {1, Float.NaN}, new float[] {3, Float.NaN});
        PopulationPrior m = PopulationPrior.merge(2, List.of(pooled, byAge));
        assertEquals(PopulationPrior.AGES.length, m.buckets());
        assertEquals(1, m.advantage(Long.MAX_VALUE, 1), 1e-7);
        assertEquals(-1, m.advantage(Long.MAX_VALUE, 2), 1e-7);
        assertEquals(10, m.counts()[0]);
        // The young state's one score stays in the youngest bucket: (3 - 1) / 2.
        assertEquals(1, m.advantage(0, 1), 1e-7);
        assertEquals(1, m.counts(0)[0]);
        assertEquals(0, m.counts(0)[1]);
    }

    @Test
    void ownEvidenceFromAnAgeOnLeavesTheWarmUpsErrorsOut() {
        // The model lost while the state warmed up (events 0-24) and wins after.
        Random random = new Random(9);
        CombinationWeights all = CombinationWeights.fresh(H);
        CombinationWeights fromAge = CombinationWeights.fresh(H);
        for (int e = 1; e <= 60; e++) {
            float[] m = new float[H];
            float[] b = new float[H];
            for (int k = 1; k <= H; k++) {
                boolean young = e - k < 25;
                double mk = (young ? 3 : 1) * random.nextGaussian();
                double bk = (young ? 1 : 3) * random.nextGaussian();
                m[k - 1] = e >= k ? (float) (mk * mk) : Float.NaN;
                b[k - 1] = e >= k ? (float) (bk * bk) : Float.NaN;
            }
            all = all.advance(m, b);
            fromAge = fromAge.advance(m, b, 25);
        }
        assertEquals(all.scored(), fromAge.scored(), "every one-step score is counted");
        CombinationRule rule = new CombinationRule(0.05, 20, true, 25);
        float[] wAll = new float[H];
        float[] wFromAge = new float[H];
        PopulationPrior none = new PopulationPrior(H);
        all.weights(none, CombinationRule.DEFAULT, wAll);
        fromAge.weights(none, rule, wFromAge);
        for (int k = 0; k < H; k++) {
            // From age 25 on the model won every step: only that evidence counts.
            assertTrue(fromAge.modelLoss()[k] < fromAge.baselineLoss()[k], "step " + (k + 1));
            assertTrue(wFromAge[k] > 0.8, Arrays.toString(wFromAge));
            assertTrue(wFromAge[k] > wAll[k], Arrays.toString(wFromAge) + " against " + Arrays.toString(wAll));
        }
        // 60 one-step scores, the first 25 left out: 35 events of evidence, w = sigmoid(0.05 * 35 * a).
        double a = CombinationWeights.advantage(fromAge.modelLoss()[0], fromAge.baselineLoss()[0]);
        assertEquals(CombinationWeights.quantize(1 / (1 + Math.exp(-0.05 * 35 * a))), wFromAge[0]);
    }
}
