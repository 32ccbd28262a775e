package io.lstmforecast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.lstmforecast.model.NpyArray;
import io.lstmforecast.model.Npz;
import io.lstmforecast.testing.ImportFixtures;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sequence --weights model.pt} and {@code --weights model.onnx}, on files written by PyTorch 1.13 and
 * torch.onnx.export, reproduce PyTorch's output, h_n and c_n to 1e-5: the CLI path a user runs.
 */
class SequenceImportTest {
    @TempDir
    Path tmp;

    @TestFactory
    Stream<DynamicTest> sequenceOfImportedModelsMatchesPyTorch() {
        return ImportFixtures.MODELS.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .map(e -> DynamicTest.dynamicTest(e.getKey(), () -> {
                    Path expected = ImportFixtures.expected(e.getValue());
                    Path out = tmp.resolve(e.getKey() + ".out.npz");
                    int code = Main.execute(
                            "sequence",
                            "--weights",
                            ImportFixtures.path(e.getKey()).toString(),
                            "--input",
                            expected.toString(),
                            "--output",
                            out.toString());
                    assertEquals(0, code, e.getKey());
                    Map<String, NpyArray> actual = Npz.read(out);
                    ImportFixtures.assertClose(Npz.read(expected), actual, List.of("output", "h_n", "c_n"), e.getKey());
                    assertEquals(e.getValue().startsWith("lstm"), actual.containsKey("c_n"), "c_n exactly for LSTM");
                }));
    }
}
