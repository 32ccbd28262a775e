package io.lstmforecast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lstmforecast.model.ForecastModel;
import io.lstmforecast.model.NpyArray;
import io.lstmforecast.model.Npz;
import io.lstmforecast.model.bundle.ModelBundle;
import io.lstmforecast.testing.HostileInputs;
import io.lstmforecast.testing.ImportFixtures;
import io.lstmforecast.testing.SharedData;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code import} writes a bundle the job loads, from .pt and .onnx files PyTorch wrote; run as the job runs it (one
 * event at a time through the head), it reproduces PyTorch's head outputs and recurrent states to 1e-5.
 */
class ImportCommandTest {
    @TempDir
    Path tmp;

    @TestFactory
    Stream<DynamicTest> importedBundlesForecastWhatPyTorchComputes() {
        return ImportFixtures.MODELS.entrySet().stream()
                .filter(e -> e.getValue().contains("head") || e.getValue().contains("_xy"))
                .sorted(Map.Entry.comparingByKey())
                .map(e -> DynamicTest.dynamicTest(e.getKey(), () -> {
                    Map<String, NpyArray> expected = Npz.read(ImportFixtures.expected(e.getValue()));
                    int inputs = expected.get("x").dim(2);
                    List<String> features = List.of("a", "b", "c").subList(0, inputs);
                    Path out = tmp.resolve(e.getKey());
                    assertEquals(
                            0,
                            Main.execute(
                                    "import",
                                    "--from",
                                    ImportFixtures.path(e.getKey()).toString(),
                                    "--features",
                                    String.join(",", features),
                                    "--targets",
                                    "a,b",
                                    "--out",
                                    out.toString()),
                            e.getKey());
                    ModelBundle bundle = ModelBundle.read(out);
                    assertTrue(
                            Files.isRegularFile(out.resolve(bundle.spec().weightsFile())),
                            "the file is in the bundle as it is");
                    assertEquals(
                            e.getKey().endsWith(".pt") ? "weights.pt" : "weights.onnx",
                            bundle.spec().weightsFile());
                    assertHeadMatches(bundle, expected, e.getKey());
                    // The network alone, from PyTorch's initial states, through `sequence --bundle`.
                    Path seq = tmp.resolve(e.getKey() + ".seq.npz");
                    assertEquals(
                            0,
                            Main.execute(
                                    "sequence",
                                    "--bundle",
                                    out.toString(),
                                    "--input",
                                    ImportFixtures.expected(e.getValue()).toString(),
                                    "--output",
                                    seq.toString()));
                    ImportFixtures.assertClose(
                            expected, Npz.read(seq), List.of("output", "h_n", "c_n"), e.getKey() + " bundle");
                    // And zipped, as a bundle is uploaded.
                    byte[] zip = HostileInputs.zip(Map.of(
                            "model.json",
                            Files.readAllBytes(out.resolve("model.json")),
                            bundle.spec().weightsFile(),
                            Files.readAllBytes(out.resolve(bundle.spec().weightsFile()))));
                    assertHeadMatches(ModelBundle.fromZip(zip, e.getKey() + ".zip"), expected, e.getKey() + " zipped");
                }));
    }

    /** Steps the model one event at a time from zero state, as a new entity starts, against PyTorch's head(y_t). */
    static void assertHeadMatches(ModelBundle bundle, Map<String, NpyArray> expected, String what) {
        ForecastModel model = bundle.model();
        NpyArray x = expected.get("x");
        NpyArray head = expected.get("head_from_zero");
        int steps = x.dim(0);
        int batch = x.dim(1);
        int inputs = x.dim(2);
        int outputs = head.dim(2);
        float[][] h = new float[model.numLayers()][batch * model.hiddenSize()];
        float[][] c = model.hasCellState() ? new float[model.numLayers()][batch * model.hiddenSize()] : null;
        float[] forecast = new float[batch * outputs];
        for (int t = 0; t < steps; t++) {
            float[] xt = java.util.Arrays.copyOfRange(x.data(), t * batch * inputs, (t + 1) * batch * inputs);
            model.step(xt, h, c, batch, forecast);
            float[] want = java.util.Arrays.copyOfRange(head.data(), t * batch * outputs, (t + 1) * batch * outputs);
            float diff = SharedData.maxAbsDiff(want, forecast);
            assertTrue(diff <= ImportFixtures.TOLERANCE, what + ": head at step " + t + " max |diff| = " + diff);
        }
    }

    @Test
    void npzFlagConvertsTheWeightsAndTheBundleForecastsTheSame() throws Exception {
        Path out = tmp.resolve("npz");
        assertEquals(
                0,
                Main.execute(
                        "import",
                        "--from",
                        ImportFixtures.path("gru_head_opset17.onnx").toString(),
                        "--features",
                        "a,b,c",
                        "--targets",
                        "a,b",
                        "--out",
                        out.toString(),
                        "--npz",
                        "--name",
                        "g",
                        "--version",
                        "7"));
        ModelBundle bundle = ModelBundle.read(out);
        assertEquals(ModelBundle.WEIGHTS_FILE, bundle.spec().weightsFile());
        assertEquals(
                List.of("g", "7", "gru", 10, 1),
                List.of(
                        bundle.spec().name(),
                        bundle.spec().version(),
                        bundle.spec().cell(),
                        bundle.spec().hiddenSize(),
                        bundle.spec().numLayers()));
        assertFalse(
                Files.readString(out.resolve("model.json")).contains("\"weights\""), "the default file is not named");
        assertHeadMatches(bundle, Npz.read(ImportFixtures.expected("gru_head")), "npz");
    }

    @Test
    void normalisationAndTheHorizonAreWrittenAsGivenAndTheHeadDecidesRecursiveOrDirect() throws Exception {
        Path recursive = tmp.resolve("recursive");
        assertEquals(
                0,
                Main.execute(
                        "import",
                        "--from",
                        ImportFixtures.path("lstm_xy.pt").toString(),
                        "--features",
                        "x,y",
                        "--targets",
                        "x,y",
                        "--out",
                        recursive.toString(),
                        "--horizon",
                        "6",
                        "--feature-mean",
                        "1,2",
                        "--feature-std",
                        "3,4",
                        "--target-mean",
                        "5,6",
                        "--target-std",
                        "7,8",
                        "--residual"));
        ModelBundle r = ModelBundle.read(recursive);
        assertEquals(
                List.of("recursive", 6, true),
                List.of(r.spec().horizonMode(), r.spec().horizon(), r.spec().residual()));
        assertEquals(
                List.of(1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f),
                Stream.of(
                                r.spec().normalisation().featureMean(),
                                r.spec().normalisation().featureStd(),
                                r.spec().normalisation().targetMean(),
                                r.spec().normalisation().targetStd())
                        .flatMap(a ->
                                java.util.stream.IntStream.range(0, a.length).mapToObj(i -> a[i]))
                        .toList());
        // Two head outputs for one target: a direct head forecasting two steps.
        Path direct = tmp.resolve("direct");
        assertEquals(
                0,
                Main.execute(
                        "import",
                        "--from",
                        ImportFixtures.path("lstm_xy.pt").toString(),
                        "--features",
                        "x,y",
                        "--targets",
                        "y",
                        "--out",
                        direct.toString()));
        ModelBundle d = ModelBundle.read(direct);
        assertEquals(
                List.of("direct", 2), List.of(d.spec().horizonMode(), d.spec().horizon()));
    }

    @Test
    void modelsTheJobCannotServeAreRefusedWithOneErrorLine() throws Exception {
        assertError(
                "has no Linear head",
                "--from",
                ImportFixtures.path("lstm1.pt").toString(),
                "--features",
                "a,b,c",
                "--targets",
                "a",
                "--out",
                tmp.resolve("a").toString());
        assertError(
                "the first layer takes 3 inputs",
                "--from",
                ImportFixtures.path("lstm2_head.pt").toString(),
                "--features",
                "a,b",
                "--targets",
                "a,b",
                "--out",
                tmp.resolve("b").toString());
        assertError(
                "target 'z' is not among the features",
                "--from",
                ImportFixtures.path("lstm2_head.pt").toString(),
                "--features",
                "a,b,c",
                "--targets",
                "a,z",
                "--out",
                tmp.resolve("c").toString());
        assertError(
                "--feature-std has 1 value(s) but 3",
                "--from",
                ImportFixtures.path("lstm2_head.pt").toString(),
                "--features",
                "a,b,c",
                "--targets",
                "a,b",
                "--feature-std",
                "2",
                "--out",
                tmp.resolve("d").toString());
        assertError(
                "'posix.system' is not allowed",
                "--from",
                ImportFixtures.path("malicious.pt").toString(),
                "--features",
                "a,b,c",
                "--targets",
                "a",
                "--out",
                tmp.resolve("e").toString());
        assertFalse(Files.exists(tmp.resolve("e")), "nothing written for a refused file");
        assertError(
                "neither one per target (1, a recursive head) nor --horizon 6 x 1",
                "--from",
                ImportFixtures.path("lstm_xy.pt").toString(),
                "--features",
                "x,y",
                "--targets",
                "y",
                "--horizon",
                "6",
                "--out",
                tmp.resolve("g").toString());
        assertError(
                "direction=bidirectional",
                "--from",
                ImportFixtures.path("bidirectional.onnx").toString(),
                "--features",
                "a,b,c",
                "--targets",
                "a",
                "--out",
                tmp.resolve("f").toString());
    }

    private static void assertError(String phrase, String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream old = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        int code;
        try {
            String[] all = new String[args.length + 1];
            all[0] = "import";
            System.arraycopy(args, 0, all, 1, args.length);
            code = Main.execute(all);
        } finally {
            System.setErr(old);
        }
        String text = err.toString(StandardCharsets.UTF_8).strip();
        assertEquals(2, code, text);
        assertTrue(
                text.startsWith("error: ")
                        && text.contains(phrase)
                        && text.lines().count() == 1,
                text);
    }
}
