package io.lstmforecast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lstmforecast.model.NpyArray;
import io.lstmforecast.model.Npz;
import io.lstmforecast.testing.SharedData;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A bad file or flag gets one line starting with "error: " and a non-zero exit, never a stack trace. */
class SequenceErrorsTest {
    @TempDir
    Path tmp;

    Path golden() {
        return SharedData.golden().resolve("caseB_lstm_2layer.npz");
    }

    /** A copy of the golden case with {@code edit} applied to its arrays. */
    Path edited(Consumer<Map<String, NpyArray>> edit) throws Exception {
        Map<String, NpyArray> arrays = new LinkedHashMap<>(Npz.read(golden()));
        edit.accept(arrays);
        Path p = tmp.resolve("edited.npz");
        Npz.write(p, arrays);
        return p;
    }

    record Outcome(int code, String err) {}

    static Outcome run(String... args) {
        PrintStream old = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            return new Outcome(Main.execute(args), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(old);
        }
    }

    Outcome sequence(Path weights, Path input, String... extra) {
        String[] base = {
            "sequence",
            "--weights",
            weights.toString(),
            "--input",
            input.toString(),
            "--output",
            tmp.resolve("out.npz").toString()
        };
        String[] all = java.util.Arrays.copyOf(base, base.length + extra.length);
        System.arraycopy(extra, 0, all, base.length, extra.length);
        return run(all);
    }

    static void assertOneLineError(Outcome o, String... mustContain) {
        assertTrue(o.code() != 0, "non-zero exit");
        String[] lines = o.err().strip().split("\n");
        assertEquals(1, lines.length, "one line, got: " + o.err());
        assertTrue(lines[0].startsWith("error: "), lines[0]);
        for (String s : mustContain) {
            assertTrue(lines[0].contains(s), "'" + s + "' in: " + lines[0]);
        }
    }

    @Test
    void aTensorOfTheWrongShapeIsNamedWithBothShapes() throws Exception {
        Path w = edited(a -> a.put("weight_hh_l1", NpyArray.of(new float[256 * 32], 256, 32)));
        assertOneLineError(sequence(w, golden()), "weight_hh_l1", "(256, 32)", "(256, 64)");
    }

    @Test
    void aMissingTensorIsNamed() throws Exception {
        Path w = edited(a -> a.remove("bias_hh_l0"));
        assertOneLineError(sequence(w, golden()), "bias_hh_l0", "missing");
    }

    @Test
    void aNaNWeightIsRejected() throws Exception {
        Path w = edited(a -> a.get("weight_ih_l0").data()[5] = Float.NaN);
        assertOneLineError(sequence(w, golden()), "weight_ih_l0", "NaN");
    }

    @Test
    void aTruncatedFileIsRejected() throws Exception {
        byte[] bytes = Files.readAllBytes(golden());
        Path cut = tmp.resolve("cut.npz");
        Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        assertOneLineError(sequence(cut, golden()), "cut.npz");
    }

    @Test
    void aFileThatIsNotAnArchiveIsRejected() throws Exception {
        Path text = tmp.resolve("weights.npz");
        Files.writeString(text, "these are not weights");
        assertOneLineError(sequence(text, golden()), "weights.npz");
    }

    @Test
    void inputProblemsAndBadFlagsAreExplained() throws Exception {
        Path noX = edited(a -> a.remove("x"));
        assertOneLineError(sequence(golden(), noX), "'x'");
        Path wrongX = edited(a -> a.put("x", NpyArray.of(new float[20 * 4 * 5], 20, 4, 5)));
        assertOneLineError(sequence(golden(), wrongX), "(20, 4, 5)", "(T, B, 3)");
        assertOneLineError(sequence(golden(), golden(), "--cell", "rnn"), "--cell", "lstm, gru, peephole, cifg");
        assertOneLineError(sequence(golden(), golden(), "--cell", "gru"), "gru");
        assertOneLineError(sequence(tmp.resolve("absent.npz"), golden()), "absent.npz", "does not exist");
    }
}
