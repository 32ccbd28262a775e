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
            prior.observe(m, b);
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
        run(1, 3, 500, prior, 4);
        float[] young = new float[H];
        CombinationWeights.fresh(H).weights(prior, young);
        for (float v : young) {
            assertTrue(v > 0.7, Arrays.toString(young));
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
        // One scored one-step error is one event of evidence: (4 - 1) / 2.5 = 1.2, logit 0.05 * 1.2.
        float[] w = new float[H];
        c.weights(new PopulationPrior(H), w);
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
}
