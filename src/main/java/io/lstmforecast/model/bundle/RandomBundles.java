package io.lstmforecast.model.bundle;

import io.lstmforecast.model.CellKind;
import io.lstmforecast.model.NpyArray;
import io.lstmforecast.model.TimeFeatures;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Bundles with random weights in PyTorch's default init range: for tests and throughput benchmarks, never for forecasting. */
public final class RandomBundles {
    private RandomBundles() {}

    public static ModelBundle random(
            CellKind cell, List<String> features, int hidden, int layers, int horizon, long seed) {
        return random(cell, features, List.of(), hidden, layers, horizon, seed);
    }

    /** A random model that also reads the given time features (direct horizon when it has any, as they require). */
    public static ModelBundle random(
            CellKind cell,
            List<String> features,
            List<String> timeFeatures,
            int hidden,
            int layers,
            int horizon,
            long seed) {
        Random rnd = new Random(seed);
        ModelSpec.Prefixes p = ModelSpec.Prefixes.DEFAULT;
        int f = features.size();
        int in = f + TimeFeatures.width(TimeFeatures.parseAll(timeFeatures));
        float[] mean = new float[in];
        float[] std = new float[in];
        for (int i = 0; i < in; i++) {
            mean[i] = i < f ? 10f * i : 0f;
            std[i] = i < f ? 1f + i : 1f;
        }
        boolean direct = !timeFeatures.isEmpty();
        int outputs = direct ? f * horizon : f;
        ModelSpec spec = new ModelSpec(
                ModelSpec.FORMAT_VERSION,
                "test-" + cell.id(),
                "1",
                cell.id(),
                hidden,
                layers,
                0,
                features,
                features,
                new ModelSpec.Normalisation(mean, std, Arrays.copyOf(mean, f), Arrays.copyOf(std, f)),
                horizon,
                direct ? "direct" : "recursive",
                null,
                "random weights for tests",
                false,
                null,
                null,
                null,
                timeFeatures.isEmpty() ? null : timeFeatures);
        Map<String, NpyArray> w = new LinkedHashMap<>();
        float bound = (float) (1 / Math.sqrt(hidden));
        for (int l = 0; l < layers; l++) {
            for (Map.Entry<String, int[]> e :
                    cell.layerTensors(l, l == 0 ? in : hidden, hidden).entrySet()) {
                w.put(p.rnn() + e.getKey(), uniform(rnd, bound, e.getValue()));
            }
        }
        w.put(p.head() + "weight", uniform(rnd, bound, new int[] {outputs, hidden}));
        w.put(p.head() + "bias", uniform(rnd, bound, new int[] {outputs}));
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
