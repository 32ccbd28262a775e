package io.lstmforecast.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lstmforecast.model.bundle.ModelBundle;
import io.lstmforecast.model.bundle.ModelSpec;
import io.lstmforecast.model.bundle.RandomBundles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelBundleTest {
    @TempDir
    Path tmp;

    static float[] forecastOf(ModelBundle b, float[][] inputs) {
        ForecastModel m = b.model();
        float[][] h = new float[m.numLayers()][m.hiddenSize()];
        float[][] c = new float[m.numLayers()][m.hiddenSize()];
        float[] f = new float[m.horizon() * m.targetCount()];
        for (float[] in : inputs) {
            m.step(in, h, c, 1, f);
        }
        return f;
    }

    static final float[][] INPUTS = {{1f, 20f}, {2f, 22f}, {1.5f, 19f}};

    @Test
    void bundlesRoundTripAsDirectoryAndZip() throws Exception {
        ModelBundle b = RandomBundles.random(CellKind.PEEPHOLE, List.of("a", "b"), 8, 2, 4, 1);
        b.writeTo(tmp.resolve("dir"));
        Files.write(tmp.resolve("b.zip"), b.toZip());
        float[] expected = forecastOf(b, INPUTS);
        assertArrayEquals(expected, forecastOf(ModelBundle.read(tmp.resolve("dir")), INPUTS));
        assertArrayEquals(expected, forecastOf(ModelBundle.read(tmp.resolve("b.zip")), INPUTS));
    }

    @Test
    void aRecursiveHorizonFeedsForecastsBackOnACopyOfTheState() {
        ModelBundle b = RandomBundles.random(CellKind.LSTM, List.of("a", "b"), 8, 1, 3, 2);
        ForecastModel m = b.model();
        float[][] h = new float[1][8];
        float[][] c = new float[1][8];
        float[] f = new float[6];
        m.step(INPUTS[0], h, c, 1, f);
        float[][] hAfter = {h[0].clone()};
        float[][] cAfter = {c[0].clone()};
        // The stored state is one plain step: replay it on a fresh model and compare.
        float[][] h2 = new float[1][8];
        float[][] c2 = new float[1][8];
        float[] one = new float[6];
        ModelBundle single = new ModelBundle(b.spec().withHorizon(1), b.weights());
        ForecastModel m1 = single.model();
        float[] f1 = new float[2];
        m1.step(INPUTS[0], h2, c2, 1, f1);
        assertArrayEquals(hAfter[0], h2[0]);
        assertArrayEquals(cAfter[0], c2[0]);
        // Step 2 of the horizon is the one-step forecast from that state fed its own step-1 forecast.
        m1.step(new float[] {f[0], f[1]}, h2, c2, 1, f1);
        assertArrayEquals(new float[] {f[2], f[3]}, f1, 1e-5f);
        m1.step(new float[] {f[2], f[3]}, h2, c2, 1, f1);
        assertArrayEquals(new float[] {f[4], f[5]}, f1, 1e-5f);
        assertArrayEquals(hAfter[0], h[0], "the horizon never touches the stored state");
    }

    @Test
    void batchingEntitiesGivesWhatSteppingThemAloneGives() {
        ModelBundle b = RandomBundles.random(CellKind.GRU, List.of("a", "b"), 8, 2, 3, 3);
        float[] alone0 = forecastOf(b, new float[][] {INPUTS[0]});
        float[] alone1 = forecastOf(b, new float[][] {INPUTS[1]});
        ForecastModel m = b.model();
        float[] f = new float[2 * 6];
        m.step(new float[] {INPUTS[0][0], INPUTS[0][1], INPUTS[1][0], INPUTS[1][1]}, new float[2][16], null, 2, f);
        assertArrayEquals(alone0, java.util.Arrays.copyOfRange(f, 0, 6), 1e-5f);
        assertArrayEquals(alone1, java.util.Arrays.copyOfRange(f, 6, 12), 1e-5f);
    }

    @Test
    void aDirectHeadWithAnInputProjectionIsComputedAsWritten() {
        ModelBundle b = RandomBundles.random(CellKind.LSTM, List.of("a", "b"), 4, 1, 1, 4);
        ModelSpec s = b.spec();
        ModelSpec direct = new ModelSpec(
                1,
                "d",
                "1",
                "lstm",
                4,
                1,
                3,
                s.features(),
                List.of("a"),
                new ModelSpec.Normalisation(new float[] {0, 0}, new float[] {1, 1}, new float[] {0}, new float[] {1}),
                2,
                "direct",
                null,
                null,
                false,
                null);
        Map<String, NpyArray> w = new LinkedHashMap<>();
        RandomBundles.random(CellKind.LSTM, List.of("p", "q", "r"), 4, 1, 1, 5)
                .weights()
                .forEach((k, v) -> {
                    if (k.startsWith("rnn.")) {
                        w.put(k, v);
                    }
                });
        float[] pw = {1, 0, 0, 1, 0.5f, -0.5f};
        w.put("proj.weight", NpyArray.of(pw, 3, 2));
        w.put("proj.bias", NpyArray.of(new float[] {0.1f, 0.2f, 0.3f}, 3));
        float[] hw = new float[8];
        for (int i = 0; i < 8; i++) {
            hw[i] = (i - 3.5f) / 4;
        }
        w.put("head.weight", NpyArray.of(hw, 2, 4));
        w.put("head.bias", NpyArray.of(new float[] {1f, -1f}, 2));
        ModelBundle bundle = new ModelBundle(direct, w);
        float[] got = forecastOf(bundle, new float[][] {{2f, 3f}});
        // By hand: projected = W_p x + b_p; one LSTM step from zero state; y = W_h h + b_h.
        float[] proj = {2 + 0.1f, 3 + 0.2f, 0.5f * 2 - 0.5f * 3 + 0.3f};
        RecurrentNetwork net = RecurrentNetwork.fromStateDict(w, "rnn.", CellKind.LSTM, 3, 4, 1, "test");
        float[] top = net.step(proj, new float[1][4], new float[1][4], 1);
        for (int k = 0; k < 2; k++) {
            double y = k == 0 ? 1 : -1;
            for (int j = 0; j < 4; j++) {
                y += hw[k * 4 + j] * top[j];
            }
            assertTrue(Math.abs(y - got[k]) < 1e-5, "step " + k);
        }
    }

    @Test
    void inconsistentBundlesAreRejectedWithTheFieldNamed() throws Exception {
        ModelBundle b = RandomBundles.random(CellKind.LSTM, List.of("a", "b"), 8, 1, 3, 6);
        ModelSpec s = b.spec();
        ModelSpec zeroStd = new ModelSpec(
                1,
                s.name(),
                s.version(),
                s.cell(),
                8,
                1,
                0,
                s.features(),
                s.targets(),
                new ModelSpec.Normalisation(
                        s.normalisation().featureMean(),
                        new float[] {1, 0},
                        s.normalisation().targetMean(),
                        s.normalisation().targetStd()),
                3,
                "recursive",
                null,
                null,
                false,
                null);
        assertRejected(new ModelBundle(zeroStd, b.weights()), "feature_std[1]");
        ModelSpec notFed = new ModelSpec(
                1,
                s.name(),
                s.version(),
                s.cell(),
                8,
                1,
                0,
                List.of("a"),
                List.of("b"),
                new ModelSpec.Normalisation(new float[] {0}, new float[] {1}, new float[] {0}, new float[] {1}),
                3,
                "recursive",
                null,
                null,
                false,
                null);
        assertRejected(new ModelBundle(notFed, b.weights()), "target 'b'");
        Map<String, NpyArray> badHead = new LinkedHashMap<>(b.weights());
        badHead.put("head.weight", NpyArray.of(new float[24], 3, 8));
        assertRejected(new ModelBundle(s, badHead), "head.weight", "(3, 8)", "(2, 8)");
        ModelBundle timed = RandomBundles.random(CellKind.LSTM, List.of("a"), List.of("hour-of-day"), 8, 1, 3, 6);
        ModelSpec t = timed.spec();
        assertRejected(
                new ModelBundle(t.withHorizon(3).withBaselineAndTimeFeatures(null, List.of("hour")), timed.weights()),
                "time_features",
                "unknown time feature 'hour'");
        ModelSpec recursive = new ModelSpec(
                1,
                t.name(),
                t.version(),
                t.cell(),
                8,
                1,
                0,
                t.features(),
                t.targets(),
                t.normalisation(),
                3,
                "recursive",
                null,
                null,
                false,
                null,
                null,
                null,
                t.timeFeatures());
        assertRejected(new ModelBundle(recursive, timed.weights()), "recursive horizon of 3 cannot read time_features");
        ModelSpec unscaled = t.withBaselineAndTimeFeatures(null, null);
        assertRejected(new ModelBundle(unscaled, timed.weights()), "feature_mean must have 1 value(s)");
        assertEquals(3, t.inputSize(), "the value, then sin and cos of the hour");
        Path dir = tmp.resolve("nospec");
        b.writeTo(dir);
        Files.writeString(
                dir.resolve("model.json"),
                Files.readString(dir.resolve("model.json")).replace("\"hidden_size\"", "\"hiden_size\""));
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelBundle.read(dir));
        assertTrue(e.getMessage().contains("hiden_size"), e.getMessage());
    }

    void assertRejected(ModelBundle b, String... words) throws Exception {
        Path zip = tmp.resolve("bad" + System.nanoTime() + ".zip");
        Files.write(zip, b.toZip());
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelBundle.read(zip));
        for (String w : words) {
            assertTrue(e.getMessage().contains(w), "'" + w + "' in " + e.getMessage());
        }
    }
}
