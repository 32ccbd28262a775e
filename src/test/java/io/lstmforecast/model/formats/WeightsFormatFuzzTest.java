package io.lstmforecast.model.formats;

import io.lstmforecast.model.ModelFormatException;
import io.lstmforecast.model.ReadLimits;
import io.lstmforecast.testing.ImportFixtures;
import io.lstmforecast.testing.Mutator;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Mutation fuzzing of the .pt and .onnx readers from files PyTorch wrote: a mutated file either loads or is refused
 * with a {@link ModelFormatException}; no other exception, no unbounded allocation and no call escapes.
 */
class WeightsFormatFuzzTest {
    static final ReadLimits LIMITS = new ReadLimits(1 << 20, 64);

    @Test
    void mutatedPyTorchFilesLoadOrAreRefusedWithAModelFormatException() throws IOException {
        fuzz(21L, 20_000, "lstm2_head.pt", "gru_head.pt", "lstm1_float16.pt", "non_contiguous.pt", "malicious.pt");
    }

    @Test
    void mutatedOnnxFilesLoadOrAreRefusedWithAModelFormatException() throws IOException {
        fuzz(
                22L,
                20_000,
                "lstm2_head_opset9.onnx",
                "gru_head_gemm.onnx",
                "gru_head_float_data.onnx",
                "peephole.onnx",
                "lstm2_head_nofold.onnx");
    }

    @Test
    void mutatedPicklesLoadOrAreRefusedWithAModelFormatException() throws IOException {
        List<byte[]> pickles =
                List.of(pickleOf("lstm2_head.pt"), pickleOf("malicious.pt"), pickleOf("non_contiguous.pt"));
        new Mutator(23L, pickles).run(50_000, p -> {
            try {
                StateDictPickle.load(java.nio.ByteBuffer.wrap(p), "fuzz.pkl");
            } catch (ModelFormatException expected) {
                // refused with a reason
            }
        });
    }

    private static byte[] pickleOf(String fixture) throws IOException {
        byte[] file = Files.readAllBytes(ImportFixtures.path(fixture));
        java.nio.ByteBuffer pkl = ZipEntries.read(file, fixture, ReadLimits.DEFAULT).entrySet().stream()
                .filter(e -> e.getKey().endsWith("data.pkl"))
                .findFirst()
                .orElseThrow()
                .getValue();
        byte[] bytes = new byte[pkl.remaining()];
        pkl.duplicate().get(bytes);
        return bytes;
    }

    private static void fuzz(long seed, int rounds, String... fixtures) throws IOException {
        List<byte[]> seeds = new java.util.ArrayList<>();
        for (String f : fixtures) {
            seeds.add(Files.readAllBytes(ImportFixtures.path(f)));
        }
        new Mutator(seed, seeds).run(rounds, bytes -> {
            try {
                WeightsFormat.read(bytes, "fuzz", LIMITS);
            } catch (ModelFormatException expected) {
                // refused with a reason
            }
        });
    }
}
