package io.lstmforecast.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lstmforecast.model.ForecastModel;
import io.lstmforecast.model.bundle.ModelBundle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Truncated back-propagation through time: the state handed from chunk to chunk, detached, after a warm-up. */
class CarriedStateTrainerTest {

    private static double[][] gaussian(Random rnd, int steps, int width) {
        double[][] v = new double[steps][width];
        for (double[] row : v) {
            for (int k = 0; k < width; k++) {
                row[k] = rnd.nextGaussian();
            }
        }
        return v;
    }

    @Test
    void theStateCarriedFromChunkToChunkEqualsOneLongSequence() {
        LstmRegressor m = new LstmRegressor(3, 5, 2, 2, 11);
        Random rnd = new Random(12);
        double[][] x = gaussian(rnd, 17, 3);
        double[][] y = gaussian(rnd, 17, 2);
        LstmRegressor.Trace whole = m.forward(x);
        // Three chunks through the trainer's loss, each starting where the previous one ended.
        double[][][] state = null;
        int[] cuts = {0, 4, 11, 17};
        for (int i = 0; i + 1 < cuts.length; i++) {
            double[][] cx = Arrays.copyOfRange(x, cuts[i], cuts[i + 1]);
            LstmRegressor.Trace chunk = m.forward(cx, null, state);
            for (int t = 0; t < cx.length; t++) {
                assertArrayEquals(whole.y[cuts[i] + t], chunk.y[t], 1e-12, "step " + (cuts[i] + t));
            }
            double[][][][] after = new double[1][][][];
            Trainer.lossAndGradient(
                    m,
                    List.of(new Trainer.Window(cx, Arrays.copyOfRange(y, cuts[i], cuts[i + 1]), 0, state)),
                    null,
                    null,
                    after);
            state = after[0];
        }
        for (int l = 0; l < 2; l++) {
            assertArrayEquals(whole.h[l][17], state[0][l], 1e-12);
            assertArrayEquals(whole.c[l][17], state[1][l], 1e-12);
        }
    }

    @Test
    void noGradientFlowsIntoTheStateHandedOnFromThePreviousChunk() {
        LstmRegressor m = new LstmRegressor(2, 4, 1, 1, 21);
        Random rnd = new Random(22);
        double[][] x1 = gaussian(rnd, 6, 2);
        double[][] x2 = gaussian(rnd, 5, 2);
        double[][] y2 = gaussian(rnd, 5, 1);
        double[][][] start = m.finalState(m.forward(x1));
        double[] grad = new double[m.params.length];
        Trainer.lossAndGradient(m, List.of(new Trainer.Window(x2, y2, 0, start)), null, grad);
        double eps = 1e-6;
        double worstDetached = 0;
        double largestThroughState = 0;
        for (int i = 0; i < m.params.length; i++) {
            double keep = m.params[i];
            double[] loss = new double[2];
            double[] lossThrough = new double[2];
            for (int side = 0; side < 2; side++) {
                m.params[i] = keep + (side == 0 ? eps : -eps);
                // The state held as it was (detached), and the state recomputed by the first chunk (not detached).
                loss[side] = Trainer.lossAndGradient(m, List.of(new Trainer.Window(x2, y2, 0, start)), null, null);
                double[][][] moved = m.finalState(m.forward(x1));
                lossThrough[side] =
                        Trainer.lossAndGradient(m, List.of(new Trainer.Window(x2, y2, 0, moved)), null, null);
            }
            m.params[i] = keep;
            double detached = (loss[0] - loss[1]) / (2 * eps);
            double through = (lossThrough[0] - lossThrough[1]) / (2 * eps);
            worstDetached = Math.max(
                    worstDetached, Math.abs(detached - grad[i]) / (1e-4 + Math.abs(detached) + Math.abs(grad[i])));
            largestThroughState = Math.max(largestThroughState, Math.abs(through - grad[i]));
        }
        assertTrue(worstDetached < 1e-5, "the gradient is the detached one: worst relative error " + worstDetached);
        assertTrue(
                largestThroughState > 1e-3,
                "and not the one through the first chunk, which differs by up to " + largestThroughState);
    }

    @Test
    void stepsInTheWarmUpAreNotInTheLoss() {
        LstmRegressor m = new LstmRegressor(2, 4, 1, 2, 31);
        Random rnd = new Random(32);
        double[][] x = gaussian(rnd, 10, 2);
        double[][] y = gaussian(rnd, 10, 2);
        double[] grad = new double[m.params.length];
        double loss = Trainer.lossAndGradient(m, List.of(new Trainer.Window(x, y, 4, null)), null, grad);

        double[][] warmUpChanged = y.clone();
        for (int t = 0; t < 4; t++) {
            warmUpChanged[t] = new double[] {1e3, -1e3};
        }
        double[] gradWarmUpChanged = new double[m.params.length];
        assertEquals(
                loss,
                Trainer.lossAndGradient(
                        m, List.of(new Trainer.Window(x, warmUpChanged, 4, null)), null, gradWarmUpChanged));
        assertArrayEquals(grad, gradWarmUpChanged);

        double[][] scoredChanged = y.clone();
        scoredChanged[4] = new double[] {1e3, -1e3};
        assertNotEquals(
                loss, Trainer.lossAndGradient(m, List.of(new Trainer.Window(x, scoredChanged, 4, null)), null, null));
        // A chunk wholly inside the warm-up scores nothing and adds no gradient.
        double[] none = new double[m.params.length];
        assertEquals(0, Trainer.lossAndGradient(m, List.of(new Trainer.Window(x, y, 10, null)), null, none));
        assertArrayEquals(new double[m.params.length], none);
    }

    @Test
    void aModelTrainedWithTheStateCarriedIsServedAsTrainedOverTheWholeSeries() {
        TrainConfig c =
                new TrainConfig(12, 1, 40, 60, 8, 0.01, 3, 0.2, 60, 1.0, false, 0).withCarry(new TrainConfig.Carry(20));
        Series data = TrainerTest.sinToCos(800);
        Trainer.Result r = new Trainer(c, TrainerTest.QUIET).train(data, null);
        assertTrue(r.validationLoss() < 0.01, "validation MSE (streamed from zero state) " + r.validationLoss());

        ModelBundle bundle = BundleExport.toBundle(r, "sin-cos", "1", List.of("sin"), List.of("cos"), 1, false, "test");
        ForecastModel engine = bundle.model();
        double[][] x = data.inputs().get(0);
        List<double[]> rows = new ArrayList<>();
        for (double[] row : x) {
            rows.add(Trainer.scale(row, r.norm().featureMean(), r.norm().featureStd()));
        }
        // 800 steps, 20 training chunks long: the job's state is the trainer's carried one.
        LstmRegressor.Trace tr = r.model().forward(rows.toArray(double[][]::new));
        float[][] h = new float[1][12];
        float[][] cs = new float[1][12];
        float[] f = new float[1];
        for (int t = 0; t < x.length; t++) {
            engine.step(new float[] {(float) x[t][0]}, h, cs, 1, f);
            double trained = tr.y[t][0] * r.norm().targetStd()[0] + r.norm().targetMean()[0];
            assertEquals(trained, f[0], 1e-4, "step " + t);
        }
    }

    @Test
    void anEpochScoreChoosesTheEpochAndStopsTheRun() {
        TrainConfig c =
                new TrainConfig(6, 1, 20, 10, 8, 0.01, 5, 0.2, 2, 1.0, false, 0).withCarry(new TrainConfig.Carry(5));
        List<double[]> seen = new ArrayList<>();
        // Scores rise with the epoch: the first is the best, and two epochs without a better one stop the run.
        Trainer.Result r = new Trainer(c, TrainerTest.QUIET)
                .choosingBy(candidate -> {
                    seen.add(candidate.model().params.clone());
                    return candidate.epochs();
                })
                .train(TrainerTest.sinToCos(300), null);
        assertEquals(3, seen.size(), "epochs run");
        assertEquals(3, r.epochs());
        assertEquals(1, r.validationLoss());
        assertArrayEquals(seen.get(0), r.model().params);
    }

    @Test
    void aCarriedStateRefusesAClosedLoopAndANegativeWarmUp() {
        assertThrows(
                IllegalArgumentException.class,
                () -> new TrainConfig(4, 1, 8, 1, 1, 0.1, 1, 0.2, 1, 1, true, 2).withCarry(new TrainConfig.Carry(4)));
        assertThrows(IllegalArgumentException.class, () -> new TrainConfig.Carry(-1));
        assertThrows(IllegalArgumentException.class, () -> new TrainConfig.Carry(4, -0.1));
        assertThrows(IllegalArgumentException.class, () -> new TrainConfig.Carry(4, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new TrainConfig.Carry(4, 0, -0.1));
    }

    @Test
    void noiseOnTheHandedOnStateChangesTheRunAndTheModelStillLearns() {
        offByDefaultChangesTheRunWhenOnAndStillLearns(new TrainConfig.Carry(20, 0), new TrainConfig.Carry(20, 0.3));
    }

    @Test
    void resetsOfTheHandedOnStateChangeTheRunAndTheModelStillLearns() {
        offByDefaultChangesTheRunWhenOnAndStillLearns(
                new TrainConfig.Carry(20, 0, 0), new TrainConfig.Carry(20, 0, 0.3));
    }

    /**
     * A variant of the carried state ({@code off}: its setting at 0) draws nothing, so it is the plain run; {@code on}
     * changes the run, and the sin -> cos model still fits the validation series, streamed whole from a zero state.
     */
    private static void offByDefaultChangesTheRunWhenOnAndStillLearns(TrainConfig.Carry off, TrainConfig.Carry on) {
        TrainConfig c = new TrainConfig(12, 1, 40, 30, 8, 0.01, 3, 0.2, 30, 1.0, false, 0);
        Series data = TrainerTest.sinToCos(800);
        Trainer.Result plain = new Trainer(c.withCarry(new TrainConfig.Carry(20)), TrainerTest.QUIET).train(data, null);
        Trainer.Result zero = new Trainer(c.withCarry(off), TrainerTest.QUIET).train(data, null);
        assertArrayEquals(plain.model().params, zero.model().params, "at 0 it draws nothing: the same run");
        Trainer.Result changed = new Trainer(c.withCarry(on), TrainerTest.QUIET).train(data, null);
        assertFalse(java.util.Arrays.equals(plain.model().params, changed.model().params), "it changes the run");
        assertTrue(changed.validationLoss() < 0.05, "validation MSE " + changed.validationLoss());
    }
}
