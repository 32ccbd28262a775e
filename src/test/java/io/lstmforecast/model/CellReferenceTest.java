package io.lstmforecast.model;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every cell kind, two layers, a batch of entities with nonzero initial states, against the
 * double-precision reference written from the papers' equations; held to 1e-5.
 */
class CellReferenceTest {

    @ParameterizedTest
    @EnumSource(CellKind.class)
    void twoLayersBatchedMatchTheReference(CellKind kind) {
        int in = 3;
        int hidden = 7;
        int layers = 2;
        int batch = 4;
        int steps = 9;
        Random rnd = new Random(kind.ordinal() + 17);
        Map<String, NpyArray> tensors = new HashMap<>();
        for (int l = 0; l < layers; l++) {
            for (Map.Entry<String, int[]> e :
                    kind.layerTensors(l, l == 0 ? in : hidden, hidden).entrySet()) {
                float[] v = new float[(int) NpyArray.elementCount(e.getValue())];
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) (rnd.nextGaussian() * 0.6);
                }
                tensors.put("lstm." + e.getKey(), new NpyArray(e.getValue(), v));
            }
        }
        RecurrentNetwork net = RecurrentNetwork.fromStateDict(tensors, "lstm.", kind, in, hidden, layers, "test");
        float[][][] x = new float[batch][steps][in];
        float[][][] h0 = new float[layers][batch][hidden];
        float[][][] c0 = new float[layers][batch][hidden];
        for (int b = 0; b < batch; b++) {
            for (int s = 0; s < steps; s++) {
                for (int k = 0; k < in; k++) {
                    x[b][s][k] = (float) (rnd.nextGaussian() * 2);
                }
            }
            for (int l = 0; l < layers; l++) {
                for (int j = 0; j < hidden; j++) {
                    h0[l][b][j] = (float) (rnd.nextDouble() * 2 - 1);
                    c0[l][b][j] = (float) (rnd.nextDouble() * 4 - 2);
                }
            }
        }
        // Engine: all entities in one batch, one step at a time.
        float[][] h = new float[layers][batch * hidden];
        float[][] c = new float[layers][batch * hidden];
        for (int l = 0; l < layers; l++) {
            for (int b = 0; b < batch; b++) {
                System.arraycopy(h0[l][b], 0, h[l], b * hidden, hidden);
                System.arraycopy(c0[l][b], 0, c[l], b * hidden, hidden);
            }
        }
        float[][][] engineTop = new float[batch][steps][];
        float[] xt = new float[batch * in];
        for (int s = 0; s < steps; s++) {
            for (int b = 0; b < batch; b++) {
                System.arraycopy(x[b][s], 0, xt, b * in, in);
            }
            float[] top = net.step(xt, h, kind.hasCellState() ? c : null, batch);
            for (int b = 0; b < batch; b++) {
                engineTop[b][s] = java.util.Arrays.copyOfRange(top, b * hidden, (b + 1) * hidden);
            }
        }
        // Reference: each entity alone, layer by layer.
        Map<String, NpyArray> plain = new HashMap<>();
        tensors.forEach((k, v) -> plain.put(k.substring("lstm.".length()), v));
        double worst = 0;
        for (int b = 0; b < batch; b++) {
            float[][] seq = x[b];
            for (int l = 0; l < layers; l++) {
                seq = ReferenceCells.layer(kind, plain, l, seq, h0[l][b].clone(), c0[l][b].clone());
            }
            for (int s = 0; s < steps; s++) {
                for (int j = 0; j < hidden; j++) {
                    worst = Math.max(worst, Math.abs(seq[s][j] - engineTop[b][s][j]));
                }
            }
        }
        assertTrue(worst <= 1e-5, kind + ": max |engine - reference| = " + worst);
    }
}
