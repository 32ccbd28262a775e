package io.lstmforecast.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lstmforecast.model.NpyArray;
import io.lstmforecast.model.Npz;
import io.lstmforecast.testing.SharedData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/** Every golden file computed by real PyTorch, run through the {@code sequence} command, held to 1e-5. */
class SequenceGoldenTest {
    static final float TOLERANCE = 1e-5f;

    @TempDir
    Path tmp;

    static List<Path> goldenFiles() throws IOException {
        try (Stream<Path> files = Files.list(SharedData.golden())) {
            return files.filter(p -> p.toString().endsWith(".npz")).sorted().toList();
        }
    }

    @Test
    void allFourGoldenCasesArePresent() throws IOException {
        assertEquals(4, goldenFiles().size(), "golden files in " + SharedData.golden());
    }

    @TestFactory
    Stream<DynamicTest> sequenceMatchesPyTorch() throws IOException {
        return goldenFiles().stream()
                .map(golden -> DynamicTest.dynamicTest(golden.getFileName().toString(), () -> {
                    Path out = tmp.resolve(golden.getFileName());
                    int code = Main.execute(
                            "sequence",
                            "--weights",
                            golden.toString(),
                            "--input",
                            golden.toString(),
                            "--output",
                            out.toString());
                    assertEquals(0, code);
                    Map<String, NpyArray> expected = Npz.read(golden);
                    Map<String, NpyArray> actual = Npz.read(out);
                    for (String key : List.of("output", "h_n", "c_n")) {
                        if (!expected.containsKey(key)) {
                            continue;
                        }
                        assertTrue(actual.containsKey(key), key + " written");
                        assertArrayEquals(
                                expected.get(key).shape(), actual.get(key).shape(), key + " shape");
                        float diff = SharedData.maxAbsDiff(
                                expected.get(key).data(), actual.get(key).data());
                        assertTrue(diff <= TOLERANCE, golden.getFileName() + " " + key + " max |diff| = " + diff);
                    }
                    assertEquals(expected.containsKey("c_n"), actual.containsKey("c_n"), "c_n exactly for LSTM");
                }));
    }
}
