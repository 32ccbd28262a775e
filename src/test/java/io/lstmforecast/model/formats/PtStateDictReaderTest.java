package io.lstmforecast.model.formats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lstmforecast.cli.Main;
import io.lstmforecast.model.ModelFormatException;
import io.lstmforecast.model.NpyArray;
import io.lstmforecast.model.ReadLimits;
import io.lstmforecast.model.bundle.ModelBundle;
import io.lstmforecast.testing.ImportFixtures;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** torch.save files read without running them: what loads, what is refused and in which words. */
class PtStateDictReaderTest {
    /** The file the malicious fixture's pickle would create (make_import_fixtures.py, PWNED). */
    static final Path PWNED = Path.of("/tmp/lstm-forecast-pwned-5e1c9a7b");

    @TempDir
    Path tmp;

    static Map<String, NpyArray> read(String fixture) {
        return WeightsFormat.read(ImportFixtures.path(fixture));
    }

    static String refusal(String fixture) {
        return assertThrows(ModelFormatException.class, () -> read(fixture)).getMessage();
    }

    @Test
    void aPickleThatCallsOsSystemIsRefusedNamingTheGlobalAndItsCommandNeverRuns() throws Exception {
        Files.deleteIfExists(PWNED);
        String message = refusal("malicious.pt");
        assertTrue(message.contains("pickle global 'posix.system' is not allowed in a state_dict"), message);
        assertTrue(message.contains("malicious.pt"), message);
        // Through the command line and inside a bundle too: the same refusal, nothing run.
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream old = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = Main.execute(
                    "sequence",
                    "--weights",
                    ImportFixtures.path("malicious.pt").toString(),
                    "--input",
                    ImportFixtures.expected("lstm1").toString(),
                    "--output",
                    tmp.resolve("out.npz").toString());
        } finally {
            System.setErr(old);
        }
        assertEquals(2, code);
        String line = err.toString(StandardCharsets.UTF_8).strip();
        assertTrue(
                line.startsWith("error: ")
                        && line.contains("'posix.system'")
                        && line.lines().count() == 1,
                line);
        Files.writeString(
                tmp.resolve("model.json"),
                "{\"format_version\":1,\"name\":\"m\",\"version\":\"1\",\"cell\":\"lstm\","
                        + "\"hidden_size\":8,\"num_layers\":1,\"projection_size\":0,\"features\":[\"a\",\"b\",\"c\"],\"targets\":[\"a\"],"
                        + "\"normalisation\":{\"feature_mean\":[0,0,0],\"feature_std\":[1,1,1],\"target_mean\":[0],\"target_std\":[1]},"
                        + "\"horizon\":1,\"weights\":\"model.pt\"}");
        Files.copy(ImportFixtures.path("malicious.pt"), tmp.resolve("model.pt"));
        String inBundle = assertThrows(ModelFormatException.class, () -> ModelBundle.read(tmp))
                .getMessage();
        assertTrue(inBundle.contains("'posix.system'"), inBundle);
        assertFalse(Files.exists(PWNED), "the pickle's command ran: " + PWNED + " exists");
    }

    @Test
    void aWholeModuleSavedInsteadOfItsStateDictIsRefusedNamingItsClass() {
        String message = refusal("whole_module.pt");
        assertTrue(message.contains("pickle global '__main__.Forecaster' is not allowed"), message);
        assertTrue(message.contains("torch.save(model.state_dict(), path)"), message);
    }

    @Test
    void truncatedLegacyAndBarePickleFilesAreRefusedWithWhatToDo() {
        assertTrue(refusal("truncated.pt").contains("truncated"), refusal("truncated.pt"));
        String legacy = refusal("legacy.pt");
        assertTrue(legacy.contains("legacy format") && legacy.contains("PyTorch 1.6"), legacy);
        byte[] pickle = {(byte) 0x80, 2, '}', '.'};
        String bare = assertThrows(
                        ModelFormatException.class, () -> WeightsFormat.read(pickle, "d.pkl", ReadLimits.DEFAULT))
                .getMessage();
        assertTrue(bare.contains("bare pickle"), bare);
        String empty = assertThrows(
                        ModelFormatException.class, () -> WeightsFormat.read(new byte[0], "e.pt", ReadLimits.DEFAULT))
                .getMessage();
        assertTrue(empty.contains("e.pt is empty"), empty);
    }

    @Test
    void aStateDictRezippedDeflatedWithDataPklLastReadsTheSame() throws Exception {
        byte[] original = Files.readAllBytes(ImportFixtures.path("lstm2_head.pt"));
        List<Map.Entry<String, ByteBuffer>> entries = new java.util.ArrayList<>(
                ZipEntries.read(original, "lstm2_head.pt", ReadLimits.DEFAULT).entrySet());
        java.util.Collections.reverse(entries);
        ByteArrayOutputStream rezipped = new ByteArrayOutputStream();
        try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(rezipped)) {
            for (Map.Entry<String, ByteBuffer> e : entries) {
                zip.putNextEntry(new java.util.zip.ZipEntry(e.getKey()));
                byte[] content = new byte[e.getValue().remaining()];
                e.getValue().duplicate().get(content);
                zip.write(content);
                zip.closeEntry();
            }
        }
        assertTrue(entries.get(entries.size() - 1).getKey().endsWith("data.pkl"), "data.pkl is now the last entry");
        Map<String, NpyArray> expected = read("lstm2_head.pt");
        Map<String, NpyArray> actual = WeightsFormat.read(rezipped.toByteArray(), "rezipped.pt", ReadLimits.DEFAULT);
        assertEquals(expected.keySet(), actual.keySet());
        for (String k : expected.keySet()) {
            org.junit.jupiter.api.Assertions.assertArrayEquals(
                    expected.get(k).data(), actual.get(k).data(), k);
        }
    }

    @Test
    void aViewThatWouldMaterialiseBeyondTheReadLimitIsRefusedBeforeAllocating() {
        String message = refusal("expanded.pt");
        assertTrue(
                message.contains("more than the limit of " + ReadLimits.DEFAULT_MAX_BYTES + " bytes as float32"),
                message);
    }

    @Test
    void aTransposedTensorIsReadThroughItsStrides() {
        Map<String, NpyArray> t = read("non_contiguous.pt");
        NpyArray original = t.get("original");
        NpyArray transposed = t.get("weight_ih_l0");
        assertEquals(List.of(8, 4), List.of(original.dim(0), original.dim(1)));
        assertEquals(List.of(4, 8), List.of(transposed.dim(0), transposed.dim(1)));
        for (int i = 0; i < 8; i++) {
            for (int j = 0; j < 4; j++) {
                assertEquals(original.data()[i * 4 + j], transposed.data()[j * 8 + i], "element " + i + "," + j);
            }
        }
    }

    @Test
    void float64AndFloat16StatesDictsConvertToFloat32() {
        Map<String, NpyArray> f32 = read("lstm1_bare.pt");
        Map<String, NpyArray> f64 = read("lstm1_float64.pt");
        Map<String, NpyArray> f16 = read("lstm1_float16.pt");
        assertEquals(f32.keySet(), f64.keySet());
        assertEquals(f32.keySet(), f16.keySet());
        for (String k : f32.keySet()) {
            float[] exact = f32.get(k).data();
            for (int i = 0; i < exact.length; i++) {
                assertEquals(exact[i], f64.get(k).data()[i], 0f, k);
                // Half precision keeps 11 significant bits: rounding moves a value by at most 2^-11 of it.
                assertEquals(exact[i], f16.get(k).data()[i], Math.abs(exact[i]) * 0x1p-11f + 0x1p-24f, k);
            }
        }
        assertEquals(-2f, ElementType.halfToFloat((short) 0xc000));
        assertEquals(65504f, ElementType.halfToFloat((short) 0x7bff));
        assertEquals(0x1p-24f, ElementType.halfToFloat((short) 0x0001));
        assertEquals(Float.POSITIVE_INFINITY, ElementType.halfToFloat((short) 0x7c00));
    }

    @Test
    void handWrittenPicklesThatBuildObjectsOrCallAnythingAreRefused() {
        // STACK_GLOBAL 'builtins' 'eval' (protocol 4), NEWOBJ, INST 'os\nsystem\n', REDUCE on an allowed storage class.
        assertRefused(
                "pickle global 'builtins.eval' is not allowed",
                (byte) 0x80,
                4,
                (byte) 0x8c,
                8,
                'b',
                'u',
                'i',
                'l',
                't',
                'i',
                'n',
                's',
                (byte) 0x8c,
                4,
                'e',
                'v',
                'a',
                'l',
                (byte) 0x93,
                '.');
        assertRefused("opcode 0x81", (byte) 0x80, 2, 'N', ')', (byte) 0x81, '.');
        assertRefused("opcode 0x69", (byte) 0x80, 2, '(', 'i', 'o', 's', '\n', 's', 'y', 's', 't', 'e', 'm', '\n', '.');
        byte[] storage = "ctorch\nFloatStorage\n".getBytes(StandardCharsets.US_ASCII);
        byte[] reduce = ByteBuffer.allocate(storage.length + 5)
                .put(new byte[] {(byte) 0x80, 2})
                .put(storage)
                .put(new byte[] {')', 'R', '.'})
                .array();
        assertRefused("calls torch.FloatStorage", reduce);
        assertRefused("memo entry 7", (byte) 0x80, 2, 'h', 7, '.');
        assertRefused("ends before its STOP", (byte) 0x80, 2, '}');
        assertRefused("9-byte integer", (byte) 0x80, 2, (byte) 0x8a, 9, 1, 2, 3, 4, 5, 6, 7, 8, 9, '.');
        // A list used as a dict key could contain itself and never finish hashing.
        assertRefused("as a dict key", (byte) 0x80, 2, '}', ']', 'N', 's', '.');
    }

    private static void assertRefused(String phrase, int... opcodes) {
        byte[] b = new byte[opcodes.length];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) opcodes[i];
        }
        assertRefused(phrase, b);
    }

    private static void assertRefused(String phrase, byte[] pickle) {
        String message = assertThrows(
                        ModelFormatException.class, () -> StateDictPickle.load(ByteBuffer.wrap(pickle), "p.pkl"))
                .getMessage();
        assertTrue(message.contains(phrase), message);
        assertTrue(message.startsWith("p.pkl: "), message);
    }
}
