package io.lstmforecast.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lstmforecast.model.NpyArray;
import io.lstmforecast.model.ReadLimits;
import io.lstmforecast.model.bundle.ModelBundle;
import io.lstmforecast.model.bundle.ModelSpec;
import io.lstmforecast.model.formats.ModelImport;
import io.lstmforecast.model.formats.WeightsFormat;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The model files written by real PyTorch and ONNX (src/test/python/make_import_fixtures.py), with what PyTorch
 * computed from them. NAME.expected.npz holds x, h0, c0 and PyTorch's output, h_n, c_n, head.
 */
public final class ImportFixtures {
    public static final float TOLERANCE = 1e-5f;

    /** Every weights file that holds a runnable model, with the model whose expected outputs it must reproduce. */
    public static final Map<String, String> MODELS = Map.ofEntries(
            Map.entry("lstm1.pt", "lstm1"),
            Map.entry("lstm1_bare.pt", "lstm1"),
            Map.entry("lstm1_float64.pt", "lstm1"),
            Map.entry("lstm2_head.pt", "lstm2_head"),
            Map.entry("gru_head.pt", "gru_head"),
            Map.entry("gru2.pt", "gru2"),
            Map.entry("lstm2_head_opset9.onnx", "lstm2_head"),
            Map.entry("lstm2_head_opset17.onnx", "lstm2_head"),
            Map.entry("lstm2_head_gemm.onnx", "lstm2_head"),
            Map.entry("gru_head_opset9.onnx", "gru_head"),
            Map.entry("gru_head_opset17.onnx", "gru_head"),
            Map.entry("gru_head_gemm.onnx", "gru_head"),
            Map.entry("gru_head_float_data.onnx", "gru_head"),
            Map.entry("lstm_xy.pt", "lstm_xy"),
            Map.entry("lstm_xy_opset17.onnx", "lstm_xy"),
            Map.entry("gru_xy.pt", "gru_xy"),
            Map.entry("gru_xy_opset9.onnx", "gru_xy"),
            Map.entry("lstm2_head_nofold.onnx", "lstm2_head"),
            Map.entry("gru_head_nofold.onnx", "gru_head"),
            Map.entry("lstm_xy_nofold.onnx", "lstm_xy"),
            Map.entry("gru_xy_nofold.onnx", "gru_xy"));

    private ImportFixtures() {}

    public static Path path(String name) {
        URL url = ImportFixtures.class.getResource("/imports/" + name);
        if (url == null) {
            throw new IllegalStateException(
                    "fixture imports/" + name + " is missing; run src/test/python/make_import_fixtures.py");
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A zipped bundle as a user uploads it: model.json (written by the importer for features and targets x, y) and
     * the fixture file itself as its weights, under {@code dir}.
     */
    public static byte[] bundleZip(String fixture, String name, String version, int horizon, Path dir)
            throws Exception {
        byte[] file = java.nio.file.Files.readAllBytes(path(fixture));
        WeightsFormat format = WeightsFormat.detect(file, fixture);
        List<String> xy = List.of("x", "y");
        ModelSpec spec = ModelImport.spec(
                WeightsFormat.read(file, fixture, ReadLimits.DEFAULT),
                new ModelImport.Request(name, version, xy, xy, null, horizon, false, null, null),
                "weights." + format.extension,
                fixture);
        ModelBundle.write(dir, spec, file);
        return HostileInputs.zip(Map.of(
                ModelBundle.SPEC_FILE,
                java.nio.file.Files.readAllBytes(dir.resolve(ModelBundle.SPEC_FILE)),
                spec.weightsFile(),
                file));
    }

    public static Path expected(String model) {
        return path(model + ".expected.npz");
    }

    /** Holds every key of {@code keys} present in {@code expected} to {@link #TOLERANCE}; returns the largest difference. */
    public static float assertClose(
            Map<String, NpyArray> expected, Map<String, NpyArray> actual, List<String> keys, String what) {
        float worst = 0;
        for (String key : keys) {
            if (!expected.containsKey(key)) {
                continue;
            }
            assertTrue(actual.containsKey(key), what + ": " + key + " written");
            assertArrayEquals(expected.get(key).shape(), actual.get(key).shape(), what + ": " + key + " shape");
            float diff = SharedData.maxAbsDiff(
                    expected.get(key).data(), actual.get(key).data());
            assertTrue(diff <= TOLERANCE, what + ": " + key + " max |diff| = " + diff);
            worst = Math.max(worst, diff);
        }
        return worst;
    }
}
