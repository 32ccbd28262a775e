package io.lstmforecast.model.formats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.lstmforecast.cli.Main;
import io.lstmforecast.model.CellKind;
import io.lstmforecast.model.NpyArray;
import io.lstmforecast.model.ReadLimits;
import io.lstmforecast.model.bundle.ModelBundle;
import io.lstmforecast.model.bundle.RandomBundles;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Java-written .pt files: read back to the same tensors (PyTorch 1.13's torch.load and load_state_dict also take
 * them; that was checked by hand, since the tests run without Python), and {@code train --weights-format pt}.
 */
class PtStateDictWriterTest {
    @TempDir
    Path tmp;

    @Test
    void aWrittenStateDictReadsBackToTheSameTensors() throws Exception {
        Map<String, NpyArray> tensors = RandomBundles.random(CellKind.GRU, List.of("x", "y", "z"), 6, 2, 1, 5)
                .weights();
        byte[] pt = PtStateDictWriter.write(tensors);
        assertEquals(WeightsFormat.PYTORCH, WeightsFormat.detect(pt, "w.pt"));
        Map<String, NpyArray> back = WeightsFormat.read(pt, "w.pt", ReadLimits.DEFAULT);
        assertEquals(List.copyOf(tensors.keySet()), List.copyOf(back.keySet()), "names in order");
        for (String k : tensors.keySet()) {
            assertArrayEquals(tensors.get(k).shape(), back.get(k).shape(), k);
            assertArrayEquals(tensors.get(k).data(), back.get(k).data(), k);
        }
    }

    @Test
    void trainWritesAPtBundleThatForecastsExactlyAsItsNpzBundle() throws Exception {
        Path npz = tmp.resolve("npz");
        Path pt = tmp.resolve("pt");
        for (Path out : List.of(npz, pt)) {
            assertEquals(
                    0,
                    Main.execute(
                            "train",
                            "--generator",
                            "sensors",
                            "--entities",
                            "2",
                            "--steps",
                            "120",
                            "--hidden",
                            "4",
                            "--window",
                            "8",
                            "--horizon",
                            "2",
                            "--epochs",
                            "1",
                            "--out",
                            out.toString(),
                            "--weights-format",
                            out == pt ? "pt" : "npz"));
        }
        ModelBundle a = ModelBundle.read(npz);
        ModelBundle b = ModelBundle.read(pt);
        assertEquals("weights.pt", b.spec().weightsFile());
        assertEquals(a.fingerprint(), b.fingerprint(), "the same model (spec and weights) in either format");
    }
}
