package io.lstmforecast.model.bundle;

import io.lstmforecast.model.CellKind;
import io.lstmforecast.model.NpyArray;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Bundles with random weights in PyTorch's default init range: for tests and throughput benchmarks, never for forecasting. */
public final class RandomBundles {
    private RandomBundles() {
    }

    public static ModelBundle random(CellKind cell, List<String> features, int hidden, int layers, int horizon, long seed) {
        Random rnd = new Random(seed);
        ModelSpec.Prefixes p = ModelSpec.Prefixes.DEFAULT;
        int f = features.size();
        float[] mean = new float[f];
        float[] std = new float[f];
        for (int i = 0; i < f; i++) {
            mean[i] = 10f * i;
            std[i] = 1f + i;
        }
        ModelSpec spec = new ModelSpec(ModelSpec.FORMAT_VERSION, "test-" + cell.id(), "1", cell.id(), hidden, layers, 0,
                features, features, new ModelSpec.Normalisation(mean, std, mean.clone(), std.clone()), horizon,
                "recursive", null, "random weights for tests", false, null);
        Map<String, NpyArray> w = new LinkedHashMap<>();
        float bound = (float) (1 / Math.sqrt(hidden));
        for (int l = 0; l < layers; l++) {
            for (Map.Entry<String, int[]> e : cell.layerTensors(l, l == 0 ? f : hidden, hidden).entrySet()) {
                w.put(p.rnn() + e.getKey(), uniform(rnd, bound, e.getValue()));
            }
        }
        w.put(p.head() + "weight", uniform(rnd, bound, new int[] {f, hidden}));
        w.put(p.head() + "bias", uniform(rnd, bound, new int[] {f}));
        return new ModelBundle(spec, w);
    }

    private static NpyArray uniform(Random rnd, float bound, int[] shape) {
        float[] v = new float[(int) NpyArray.elementCount(shape)];
        for (int i = 0; i < v.length; i++) {
            v[i] = (rnd.nextFloat() * 2 - 1) * bound;
        }
        return new NpyArray(shape, v);
    }
}
