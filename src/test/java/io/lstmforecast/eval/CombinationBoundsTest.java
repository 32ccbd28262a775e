package io.lstmforecast.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lstmforecast.state.CombinationRule;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CombinationBoundsTest {
    private static final int H = 3;
    private static final int N = 2000;

    /** A random walk, and per origin forecasts built from its true future. */
    private static double[] walk() {
        Random r = new Random(7);
        double[] v = new double[N];
        for (int i = 1; i < N; i++) {
            v[i] = v[i - 1] + r.nextGaussian();
        }
        return v;
    }

    private static double[][] truthPlus(double[] v, double offset, double noise, long seed) {
        Random r = new Random(seed);
        double[][] f = new double[N][H];
        for (int t = 0; t < N; t++) {
            for (int k = 1; k <= H; k++) {
                f[t][k - 1] = (t + k < N ? v[t + k] : v[N - 1]) + offset + noise * r.nextGaussian();
            }
        }
        return f;
    }

    @Test
    void theBestFixedWeightServesTheExactSideAlone() {
        double[] v = walk();
        double[][] exact = truthPlus(v, 0, 0, 1);
        double[][] persistence = StreamedSeries.persistence(v, H);
        assertArrayEquals(new double[] {1, 1, 1}, CombinationBounds.bestWeights(v, exact, persistence, 100, N), 1e-12);
        assertArrayEquals(new double[] {0, 0, 0}, CombinationBounds.bestWeights(v, persistence, exact, 100, N), 1e-12);
    }

    @Test
    void independentErrorsOfEqualSizeAreSplitEvenly() {
        double[] v = walk();
        double[][] a = truthPlus(v, 0, 1, 2);
        double[][] b = truthPlus(v, 0, 1, 3);
        for (double w : CombinationBounds.bestWeights(v, a, b, 100, N)) {
            assertEquals(0.5, w, 0.05);
        }
        double[][] mixed = CombinationBounds.mix(a, b, new double[] {0.25, 0.5, 1});
        assertEquals(0.25 * a[10][0] + 0.75 * b[10][0], mixed[10][0], 1e-12);
        assertEquals(a[10][2], mixed[10][2], 1e-12);
    }

    @Test
    void aConstantBiasIsRemovedOnceItsErrorsAreScored() {
        double[] v = walk();
        double[][] biased = truthPlus(v, 2.5, 0, 1);
        assertEquals(2.5, CombinationBounds.meanError(v, biased, 1, H, 100, N), 1e-9);
        double[][] corrected = CombinationBounds.lessBias(biased, v, 500);
        // Before any k-step forecast is scored nothing is known; from row k on every error seen was 2.5.
        assertEquals(biased[0][2], corrected[0][2], 1e-12);
        for (int t = H; t < N - H; t++) {
            for (int k = 1; k <= H; k++) {
                assertEquals(v[t + k], corrected[t][k - 1], 1e-9);
            }
        }
    }

    @Test
    void exponentialWeightsFollowTheExpertThatIsRight() {
        double[] v = walk();
        double[][] exact = truthPlus(v, 0, 0, 1);
        double[][] noisy = truthPlus(v, 0, 1, 2);
        double[][] off = truthPlus(v, 1, 0, 3);
        double[][] served = CombinationBounds.hedge(v, CombinationRule.DEFAULT, noisy, exact, off);
        // Before any evidence the experts are averaged; once 100 errors are scored the exact one has the weight
        // exp(7.5) times either other's (losses 0, 1 and 1 against their mean 2/3).
        assertEquals((noisy[0][0] + exact[0][0] + off[0][0]) / 3, served[0][0], 1e-12);
        for (int t = 200; t < N - H; t++) {
            for (int k = 1; k <= H; k++) {
                assertEquals(exact[t][k - 1], served[t][k - 1], 0.01);
            }
        }
        // Two experts that tie are mixed: the served error is below either's.
        double[][] other = truthPlus(v, 0, 1, 4);
        double[][] tied = CombinationBounds.hedge(v, CombinationRule.DEFAULT, noisy, other);
        double mixed = mse(v, tied);
        assertTrue(mixed < 0.8 * mse(v, noisy), "mixed " + mixed);
        assertTrue(mixed < 0.8 * mse(v, other), "mixed " + mixed);
    }

    /** Over origins 1000 on, every step. */
    private static double mse(double[] v, double[][] byOrigin) {
        double se = 0;
        int n = 0;
        for (int t = 1000; t < N - H; t++) {
            for (int k = 1; k <= H; k++) {
                double e = byOrigin[t][k - 1] - v[t + k];
                se += e * e;
                n++;
            }
        }
        return se / n;
    }
}
