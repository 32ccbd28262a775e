package io.lstmforecast.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lstmforecast.model.ForecastModel;
import io.lstmforecast.model.bundle.ModelBundle;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TrainerTest {
    static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    @Test
    void theBackwardPassMatchesFiniteDifferences() {
        LstmRegressor m = new LstmRegressor(3, 5, 2, 2, 7);
        Trainer.Window w = randomWindow(new Random(8));
        double worst = worstRelativeGradientError(m, List.of(w), null);
        assertTrue(worst < 1e-5, "worst relative gradient error " + worst + " over " + m.params.length + " parameters");
    }

    @Test
    void theBackwardPassReachesALearnedStart() {
        LstmRegressor m = new LstmRegressor(3, 5, 2, 2, 7, true);
        Random rnd = new Random(8);
        for (int i = m.offsetStart(); i < m.params.length; i++) {
            assertEquals(0, m.params[i], "a learnt start begins at zeros");
            m.params[i] = 0.5 * rnd.nextGaussian();
        }
        assertEquals(new LstmRegressor(3, 5, 2, 2, 7).params.length + 2 * 2 * 5, m.params.length);
        Trainer.Window w = randomWindow(rnd);
        double[][] x = w.x();
        double[][] y = w.y();
        // h0 and c0 of both layers are checked with every weight.
        double worst = worstRelativeGradientError(m, List.of(w), null);
        assertTrue(worst < 1e-5, "worst relative gradient error " + worst + " over " + m.params.length + " parameters");
        // A given start (a state handed on) is a constant: no gradient reaches the learnt one.
        double[] grad = new double[m.params.length];
        double[][][] given = m.finalState(m.forward(x));
        Trainer.lossAndGradient(m, List.of(new Trainer.Window(x, y, 0, given)), null, grad);
        for (int i = m.offsetStart(); i < m.params.length; i++) {
            assertEquals(0, grad[i]);
        }
    }

    /** Six steps of three Gaussian inputs and two Gaussian targets, from zero (or the learnt) state. */
    private static Trainer.Window randomWindow(Random rnd) {
        double[][] x = new double[6][3];
        double[][] y = new double[6][2];
        for (int t = 0; t < 6; t++) {
            for (int k = 0; k < 3; k++) {
                x[t][k] = rnd.nextGaussian();
            }
            y[t][0] = rnd.nextGaussian();
            y[t][1] = rnd.nextGaussian();
        }
        return new Trainer.Window(x, y);
    }

    /**
     * The largest relative difference, over every parameter, between the backward pass's gradient and a central finite
     * difference of the loss (step 1e-6).
     */
    private static double worstRelativeGradientError(
            LstmRegressor m, List<Trainer.Window> w, LstmRegressor.Feedback fb) {
        double[] grad = new double[m.params.length];
        Trainer.lossAndGradient(m, w, fb, grad);
        double eps = 1e-6;
        double worst = 0;
        for (int i = 0; i < m.params.length; i++) {
            double keep = m.params[i];
            m.params[i] = keep + eps;
            double up = Trainer.lossAndGradient(m, w, fb, null);
            m.params[i] = keep - eps;
            double down = Trainer.lossAndGradient(m, w, fb, null);
            m.params[i] = keep;
            double numeric = (up - down) / (2 * eps);
            worst = Math.max(worst, Math.abs(numeric - grad[i]) / (1e-4 + Math.abs(numeric) + Math.abs(grad[i])));
        }
        return worst;
    }

    @Test
    void theClosedLoopBackwardPassMatchesFiniteDifferences() {
        LstmRegressor m = new LstmRegressor(2, 4, 2, 2, 9);
        Random rnd = new Random(10);
        double[][] x = new double[7][2];
        double[][] y = new double[7][2];
        for (int t = 0; t < 7; t++) {
            x[t] = new double[] {rnd.nextGaussian(), rnd.nextGaussian()};
            y[t] = new double[] {rnd.nextGaussian(), rnd.nextGaussian()};
        }
        for (boolean residual : new boolean[] {false, true}) {
            LstmRegressor.Feedback fb = new LstmRegressor.Feedback(
                    3,
                    new int[] {1, 0},
                    residual,
                    new double[] {0.5, -1},
                    new double[] {2, 0.5},
                    new double[] {0.1, 0.2},
                    new double[] {1.5, 0.7});
            double worst = worstRelativeGradientError(m, List.of(new Trainer.Window(x, y)), fb);
            assertTrue(worst < 1e-5, "residual " + residual + ": worst relative gradient error " + worst);
        }
    }

    @Test
    void theBackwardPassOfADirectHeadMatchesFiniteDifferences() {
        // Two targets, four steps each: the head outputs 8 values per step, all in the loss.
        LstmRegressor m = new LstmRegressor(3, 5, 2, 2 * 4, 11);
        Random rnd = new Random(12);
        double[][] x = new double[6][3];
        double[][] y = new double[6][8];
        for (int t = 0; t < 6; t++) {
            for (int k = 0; k < 3; k++) {
                x[t][k] = rnd.nextGaussian();
            }
            for (int k = 0; k < 8; k++) {
                y[t][k] = rnd.nextGaussian();
            }
        }
        double worst = worstRelativeGradientError(m, List.of(new Trainer.Window(x, y)), null);
        assertTrue(worst < 1e-5, "worst relative gradient error " + worst + " over " + m.params.length + " parameters");
    }

    @Test
    void aDirectResidualHeadWithTimeFeaturesIsTrainedAndServedAlike() {
        // An hourly series with a daily cycle; the head forecasts 6 steps as corrections to the last value.
        int points = 600;
        double[][] rows = new double[points][1];
        long[] times = new long[points];
        for (int t = 0; t < points; t++) {
            times[t] = 1_467_331_200_000L + t * 3_600_000L;
            rows[t][0] = 10 + 3 * Math.sin(2 * Math.PI * t / 24) + 0.1 * t / 24;
        }
        Series data = Series.selfForecast(List.<double[][]>of(rows), List.of(times), new int[] {0});
        TrainConfig c = new TrainConfig(
                8,
                1,
                24,
                3,
                8,
                0.01,
                3,
                0.2,
                3,
                1.0,
                true,
                0,
                6,
                List.of("hour-of-day", "day-of-week"),
                6,
                true,
                0,
                false,
                null,
                false);
        Trainer.Result r = new Trainer(c, QUIET).train(data, new int[] {0});
        ModelBundle bundle =
                BundleExport.toBundle(r, "cycle", "1", List.of("v"), List.of("v"), 6, true, "test", "persistence");
        assertEquals("direct", bundle.spec().horizonMode());
        assertEquals(List.of("hour-of-day", "day-of-week"), bundle.spec().timeFeatures());
        assertEquals("persistence", bundle.spec().baseline());
        assertServedAsTrained(
                rows,
                times,
                r,
                bundle,
                6,
                List.of(io.lstmforecast.model.TimeFeatures.HOUR_OF_DAY, io.lstmforecast.model.TimeFeatures.DAY_OF_WEEK),
                false);
    }

    /** A direct 4-step head correcting constant velocity, trained briefly. */
    private static final TrainConfig TRACK_HEAD =
            new TrainConfig(8, 1, 24, 3, 8, 0.01, 3, 0.2, 3, 1.0, true, 0, 4, List.of(), 6, true, 0, true, null, false);

    /** A track that speeds up and bends: constant velocity is close, and a head learns what it misses. */
    private static double[][] bendingTrack() {
        double[][] rows = new double[400][1];
        for (int t = 0; t < rows.length; t++) {
            rows[t][0] = 0.4 * t + 2 * Math.sin(t / 15.0);
        }
        return rows;
    }

    private static long[] trackTimes() {
        long[] times = new long[400];
        for (int t = 0; t < times.length; t++) {
            times[t] = 1_467_331_200_000L + t * 400L;
        }
        return times;
    }

    private static Series trackSeries(double[][] rows, long[] times) {
        return Series.selfForecast(List.<double[][]>of(rows), List.of(times), new int[] {0});
    }

    @Test
    void aDirectHeadCorrectingConstantVelocityIsTrainedAndServedAlike() {
        double[][] rows = bendingTrack();
        long[] times = trackTimes();
        Trainer.Result r = new Trainer(TRACK_HEAD, QUIET).train(trackSeries(rows, times), new int[] {0});
        ModelBundle bundle = BundleExport.toBundle(
                r, "track", "1", List.of("x"), List.of("x"), 4, true, "test", "constant-velocity");
        assertServedAsTrained(rows, times, r, bundle, 4, List.of(), true);
    }

    @Test
    void aLearnedStartIsExportedAndIsTheStateAFreshEntityStartsFrom() {
        double[][] rows = bendingTrack();
        long[] times = trackTimes();
        Trainer.Result r =
                new Trainer(TRACK_HEAD.withLearnedStart(true), QUIET).train(trackSeries(rows, times), new int[] {0});
        LstmRegressor m = r.model();
        assertTrue(
                java.util.Arrays.stream(m.params, m.offsetStart(), m.params.length)
                                .filter(v -> v != 0)
                                .count()
                        == 2 * 8,
                "training moved every element of h0 and c0 off zero");
        ModelBundle bundle = BundleExport.toBundle(
                r, "track", "1", List.of("x"), List.of("x"), 4, true, "test", "constant-velocity");
        assertEquals(8, bundle.model().startH().length);
        assertEquals((float) m.params[m.offsetStart()], bundle.model().startH()[0]);
        assertEquals((float) m.params[m.offsetStart() + 8], bundle.model().startC()[0]);
        // Served from the bundle's h0, c0 by the job's code, as the trainer ran it from the learnt start.
        assertServedAsTrained(rows, times, r, bundle, 4, List.of(), true);
    }

    /**
     * The trainer's forward pass over the first 30 rows, with the time features written by the job's own code, equals
     * what the job's EntityForecaster serves streaming the same rows with their event times: the last value (plus k
     * times the last change for a head correcting constant velocity) plus the denormalised head output.
     */
    private static void assertServedAsTrained(
            double[][] rows,
            long[] times,
            Trainer.Result r,
            ModelBundle bundle,
            int steps,
            List<io.lstmforecast.model.TimeFeatures> calendar,
            boolean velocity) {
        double[][] window = new double[30][];
        float[] written = new float[io.lstmforecast.model.TimeFeatures.width(calendar)];
        for (int t = 0; t < 30; t++) {
            io.lstmforecast.model.TimeFeatures.write(calendar, times[t], written, 0);
            double[] in = new double[1 + written.length];
            in[0] = rows[t][0];
            for (int i = 0; i < written.length; i++) {
                in[1 + i] = written[i];
            }
            window[t] = Trainer.scale(in, r.norm().featureMean(), r.norm().featureStd());
        }
        LstmRegressor.Trace tr = r.model().forward(window);
        io.lstmforecast.eval.StreamedSeries served = io.lstmforecast.eval.StreamedSeries.stream(
                bundle.model(),
                java.util.Arrays.stream(rows).limit(30).mapToDouble(v -> v[0]).toArray(),
                java.util.Arrays.copyOf(times, 30),
                io.lstmforecast.state.ForecastPolicy.DEFAULT);
        for (int t = 0; t < 30; t++) {
            double change = velocity && t > 0 ? rows[t][0] - rows[t - 1][0] : 0;
            for (int k = 0; k < steps; k++) {
                double trained = rows[t][0]
                        + (k + 1) * change
                        + tr.y[t][k] * r.norm().targetStd()[0]
                        + r.norm().targetMean()[0];
                assertEquals(
                        trained,
                        served.model()[t][k],
                        1e-4 * Math.max(1, Math.abs(trained)),
                        "row " + t + " step " + (k + 1));
            }
        }
    }

    @Test
    void aDirectHeadRefusesARolloutAndTimeFeaturesNeedADirectHead() {
        org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class,
                () -> new TrainConfig(
                        4, 1, 8, 1, 1, 0.1, 1, 0.2, 1, 1, true, 2, 3, List.of(), 0, false, 0, false, null, false));
        org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class,
                () -> new TrainConfig(
                        4,
                        1,
                        8,
                        1,
                        1,
                        0.1,
                        1,
                        0.2,
                        1,
                        1,
                        true,
                        0,
                        0,
                        List.of("hour-of-day"),
                        0,
                        false,
                        0,
                        false,
                        null,
                        false));
    }

    static Series sinToCos(int points) {
        double[][] in = new double[points][1];
        double[][] out = new double[points][1];
        for (int t = 0; t < points; t++) {
            in[t][0] = Math.sin(t * 0.1);
            out[t][0] = Math.cos(t * 0.1);
        }
        return new Series(List.<double[][]>of(in), List.<double[][]>of(out));
    }

    @Test
    void itLearnsSinToCosAndTheExportedBundlePredictsExactlyWhatWasTrained() {
        TrainConfig c = new TrainConfig(12, 1, 40, 400, 8, 0.01, 3, 0.2, 400, 1.0, false, 0);
        Series data = sinToCos(800);
        Trainer.Result r = new Trainer(c, QUIET).train(data, null);
        // Target is cos at t+1; a model that learnt nothing scores about the variance, 0.5 (in scaled units, 1).
        assertTrue(r.validationLoss() < 0.01, "validation MSE " + r.validationLoss());

        ModelBundle bundle = BundleExport.toBundle(r, "sin-cos", "1", List.of("sin"), List.of("cos"), 1, false, "test");
        ForecastModel engine = bundle.model();
        double[][] x = data.inputs().get(0);
        List<double[]> window = new ArrayList<>();
        for (int t = 0; t < 30; t++) {
            window.add(Trainer.scale(x[t], r.norm().featureMean(), r.norm().featureStd()));
        }
        LstmRegressor.Trace tr = r.model().forward(window.toArray(double[][]::new));
        float[][] h = new float[1][12];
        float[][] cs = new float[1][12];
        float[] f = new float[1];
        for (int t = 0; t < 30; t++) {
            engine.step(new float[] {(float) x[t][0]}, h, cs, 1, f);
            double trained = tr.y[t][0] * r.norm().targetStd()[0] + r.norm().targetMean()[0];
            assertEquals(trained, f[0], 1e-5, "step " + t);
        }
    }

    @Test
    void aFixedSeedReproducesTheRun() {
        TrainConfig c = new TrainConfig(6, 1, 20, 3, 8, 0.01, 5, 0.2, 3, 1.0, false, 0);
        Trainer.Result a = new Trainer(c, QUIET).train(sinToCos(300), null);
        Trainer.Result b = new Trainer(c, QUIET).train(sinToCos(300), null);
        assertEquals(a.validationLoss(), b.validationLoss());
        assertTrue(java.util.Arrays.equals(a.model().params, b.model().params));
    }
}
