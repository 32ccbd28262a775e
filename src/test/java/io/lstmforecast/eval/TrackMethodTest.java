package io.lstmforecast.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lstmforecast.model.bundle.ModelBundle;
import io.lstmforecast.train.Series;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The track method's training data (speed scales, mirror) and its epoch chosen on the served validation ADE. */
class TrackMethodTest {
    /** Walkers at about 0.5 m a step, turning a little at every step; {@code lengths} positions each. */
    private static List<double[][]> walkers(long seed, int... lengths) {
        Random rnd = new Random(seed);
        List<double[][]> tracks = new ArrayList<>();
        for (int length : lengths) {
            double[][] t = new double[length][];
            double x = rnd.nextDouble() * 15;
            double y = rnd.nextDouble() * 15;
            double heading = rnd.nextDouble() * 2 * Math.PI;
            double step = 0.45 + rnd.nextDouble() * 0.1;
            for (int i = 0; i < length; i++) {
                t[i] = new double[] {x, y};
                heading += rnd.nextGaussian() * 0.05;
                x += step * Math.cos(heading);
                y += step * Math.sin(heading);
            }
            tracks.add(t);
        }
        return tracks;
    }

    @Test
    void everyTrackIsAlsoSeenAtEachSpeedScaleWithItsTargetsScaledAlike() {
        // 19 positions are one short of a window (8 observed + 12 predicted): that track is left out.
        List<double[][]> tracks = walkers(3, 25, 19, 30);
        List<Double> scales = List.of(1.0, 0.75, 1.25);
        Series s = TrackMethod.displacements(tracks, 1, scales, false, 0, null);
        assertEquals(2 * scales.size(), s.inputs().size());
        int[] kept = {0, 2};
        for (int k = 0; k < kept.length; k++) {
            double[][] original = EthUcy.displacements(tracks.get(kept[k]), 0);
            assertEquals(tracks.get(kept[k]).length - 1, original.length);
            for (int c = 0; c < scales.size(); c++) {
                double f = scales.get(c);
                double[][] in = s.inputs().get(k * scales.size() + c);
                double[][] out = s.targets().get(k * scales.size() + c);
                assertEquals(original.length, in.length);
                for (int t = 0; t < original.length; t++) {
                    assertArrayEquals(new double[] {f * original[t][0], f * original[t][1]}, in[t], 1e-12);
                    assertArrayEquals(in[t], out[t], 0.0, "the targets are the displacements themselves");
                }
            }
        }
        assertEquals(
                2,
                TrackMethod.displacements(tracks, 1, List.of(1.0), false, 0, null)
                        .inputs()
                        .size());
    }

    @Test
    void theMirrorReflectsEveryScaledCopyLeftToRight() {
        List<double[][]> tracks = walkers(4, 22);
        Series s = TrackMethod.displacements(tracks, 1, List.of(1.0, 2.0), true, 0, null);
        assertEquals(4, s.inputs().size());
        double[][] original = EthUcy.displacements(tracks.get(0), 0);
        double[][] expectedFactors = {{1, 1}, {-1, 1}, {2, 2}, {-2, 2}};
        for (int c = 0; c < expectedFactors.length; c++) {
            for (int t = 0; t < original.length; t++) {
                assertArrayEquals(
                        new double[] {expectedFactors[c][0] * original[t][0], expectedFactors[c][1] * original[t][1]},
                        s.inputs().get(c)[t],
                        1e-12);
            }
        }
    }

    @Test
    void theNoisyCopyHasNoisyInputsAndTheRecordedDisplacementsAsTargets() {
        List<double[][]> tracks = walkers(7, 400);
        double sigma = 0.05;
        Series s = TrackMethod.displacements(tracks, 1, List.of(1.0), false, sigma, new Random(1));
        assertEquals(2, s.inputs().size());
        double[][] original = EthUcy.displacements(tracks.get(0), 0);
        assertArrayEquals(original, s.inputs().get(0));
        assertArrayEquals(original, s.targets().get(0));
        assertArrayEquals(original, s.targets().get(1), "the noisy copy's targets are as recorded");
        double sum = 0;
        double squares = 0;
        int n = 0;
        for (int t = 0; t < original.length; t++) {
            for (int j = 0; j < 2; j++) {
                double e = s.inputs().get(1)[t][j] - original[t][j];
                sum += e;
                squares += e * e;
                n++;
            }
        }
        // 798 draws: the sample mean within 4 standard errors of 0, the standard deviation within 10 % of sigma.
        assertEquals(0, sum / n, 4 * sigma / Math.sqrt(n));
        assertEquals(sigma, Math.sqrt(squares / n), 0.1 * sigma);
    }

    @Test
    void speedScalesMustBePositiveNumbers() {
        for (List<Double> bad : List.of(List.<Double>of(), List.of(1.0, 0.0), List.of(-0.5), List.of(Double.NaN))) {
            assertThrows(IllegalArgumentException.class, () -> withScales(bad), bad.toString());
        }
        assertEquals(List.of(0.5, 2.0), withScales(List.of(0.5, 2.0)).speedScales());
    }

    private static TrackMethod.Settings withScales(List<Double> scales) {
        TrackMethod.Settings d = TrackMethod.DEFAULT;
        return new TrackMethod.Settings(
                d.hidden(),
                d.learningRate(),
                d.epochs(),
                d.patience(),
                d.direct(),
                d.residual(),
                d.rotations(),
                d.epochWindows(),
                scales,
                d.mirror(),
                d.inputNoise(),
                d.streamedChoice(),
                d.learnedStart(),
                d.seed());
    }

    @Test
    void withTheStreamedChoiceTheKeptEpochIsTheOneWithTheLowestServedValidationAde() {
        TrackMethod.Settings d = TrackMethod.DEFAULT;
        TrackMethod.Settings s = new TrackMethod.Settings(
                8, d.learningRate(), 4, 4, true, true, 1, 500, List.of(1.0), false, 0, true, false, 1);
        List<double[][]> train = walkers(5, 30, 35, 40, 45, 30, 35, 40, 45);
        List<double[][]> val = walkers(6, 30, 40, 25);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        ModelBundle b = TrackMethod.train(
                s, train, val, "walkers", "test walkers", new PrintStream(log, true, StandardCharsets.UTF_8));
        // Each epoch's progress line prints its score: the served ADE (metres) of the validation windows.
        Matcher m = Pattern.compile(" val ([0-9.]+) \\(best").matcher(log.toString(StandardCharsets.UTF_8));
        double best = Double.POSITIVE_INFINITY;
        int epochs = 0;
        while (m.find()) {
            best = Math.min(best, Double.parseDouble(m.group(1)));
            epochs++;
        }
        assertEquals(4, epochs, log.toString(StandardCharsets.UTF_8));
        double served = EthUcy.evaluate(val, EthUcy.streamed(b.model()), 2)[0].ade();
        assertEquals(best, served, 1e-5);
        double cv = EthUcy.evaluate(val, EthUcy::constantVelocity).ade();
        assertTrue(served > 0 && served < 2 * cv, "served " + served + " against constant velocity " + cv);
    }
}
