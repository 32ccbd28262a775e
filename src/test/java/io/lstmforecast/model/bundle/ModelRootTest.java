package io.lstmforecast.model.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lstmforecast.model.CellKind;
import io.lstmforecast.model.ReadLimits;
import io.lstmforecast.testing.HostileBundles;
import io.lstmforecast.testing.HostileBundles.BadBundle;
import io.lstmforecast.testing.HostileInputs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every file a bundle reads is confined to the model root by its real path; links inside the root still work. */
class ModelRootTest {
    @TempDir
    Path dir;

    private final ModelBundle serving = RandomBundles.random(CellKind.LSTM, List.of("x", "y"), 8, 1, 2, 5);

    @Test
    void everyHostileBundleIsRefusedWithItsReason() throws Exception {
        Path root = Files.createDirectories(dir.resolve("models"));
        List<BadBundle> bad = HostileBundles.layOut(root, Files.createDirectories(dir.resolve("elsewhere")), serving);
        ModelRoot modelRoot = ModelRoot.of(root.toString());
        for (BadBundle b : bad) {
            RuntimeException e = assertThrows(
                    RuntimeException.class,
                    () -> modelRoot.read(modelRoot.bundle(b.location()), ReadLimits.DEFAULT),
                    b.what());
            assertTrue(e.getMessage().contains(b.because()), b.what() + ": '" + b.because() + "' in " + e.getMessage());
        }
        assertEquals(10, bad.size());
    }

    @Test
    void linksThatStayInsideTheRootAndPlainZipsAreRead() throws Exception {
        Path root = Files.createDirectories(dir.resolve("models"));
        serving.writeTo(root.resolve("a"));
        Path b = Files.createDirectories(root.resolve("b"));
        Files.copy(root.resolve("a/model.json"), b.resolve("model.json"));
        Files.createSymbolicLink(b.resolve("weights.npz"), Path.of("../a/weights.npz"));
        Files.createSymbolicLink(root.resolve("current"), Path.of("b"));
        Files.write(root.resolve("a.zip"), HostileInputs.zip(serving));
        ModelRoot modelRoot = ModelRoot.of(root.toString());
        for (String location : List.of(
                root.resolve("current").toString(),
                root.resolve("b").toString(),
                root.resolve("a.zip").toUri().toString())) {
            ModelBundle read = modelRoot.read(modelRoot.bundle(location), ReadLimits.DEFAULT);
            assertEquals(serving.fingerprint(), read.fingerprint(), location);
        }
    }

    @Test
    void aZipWithoutLinkMarksIsReadAndTheSameZipWithOneIsNot() {
        byte[] plain = HostileInputs.zip(serving);
        assertEquals(serving.fingerprint(), ModelBundle.fromZip(plain, "plain").fingerprint());
        assertTrue(assertThrows(
                        RuntimeException.class,
                        () -> ModelBundle.fromZip(HostileBundles.asLink(plain, "model.json"), "linked"))
                .getMessage()
                .contains("'model.json' stored as a symbolic link"));
        byte[] npz = HostileInputs.npz(serving);
        String first = HostileInputs.unzip(npz).keySet().iterator().next();
        byte[] linkedNpz = HostileInputs.zip(Map.of(
                "model.json", HostileInputs.unzip(plain).get("model.json"),
                "weights.npz", HostileBundles.asLink(npz, first)));
        assertTrue(assertThrows(RuntimeException.class, () -> ModelBundle.fromZip(linkedNpz, "npz"))
                .getMessage()
                .contains("'" + first + "' stored as a symbolic link"));
    }
}
