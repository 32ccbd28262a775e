package io.lstmforecast.model;

import io.lstmforecast.model.bundle.ModelBundle;
import io.lstmforecast.model.bundle.RandomBundles;
import io.lstmforecast.testing.HostileInputs;
import io.lstmforecast.testing.Mutator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Mutation fuzzing of the model readers, for a fixed budget: a mutated .npy, .npz or bundle either loads or is
 * refused with a {@link ModelFormatException}; no other exception and no unbounded allocation escapes.
 */
class ModelReaderFuzzTest {
    static final ReadLimits LIMITS = new ReadLimits(1 << 20, 64);

    @Test
    void mutatedNpyArraysLoadOrAreRefusedWithAModelFormatException() {
        ModelBundle b = RandomBundles.random(CellKind.LSTM, List.of("x", "y"), 4, 1, 2, 1);
        List<byte[]> seeds = b.weights().values().stream().map(Npz::toNpy).toList();
        new Mutator(11L, seeds).run(100_000, npy -> refusedOrRead(() -> Npz.readNpy(npy, "fuzz.npy")));
    }

    @Test
    void mutatedArchivesAndBundlesLoadOrAreRefusedWithAModelFormatException() {
        ModelBundle b = RandomBundles.random(CellKind.GRU, List.of("x"), 4, 1, 2, 2);
        byte[] bundle = HostileInputs.zip(b);
        byte[] npz = HostileInputs.npz(b);
        byte[] stored = HostileInputs.zip(
                Map.of("a.npy", Npz.toNpy(b.weights().values().iterator().next())));
        new Mutator(12L, List.of(bundle, npz, stored)).run(20_000, zip -> {
            refusedOrRead(() -> Npz.read(zip, "fuzz.npz", LIMITS));
            refusedOrRead(() -> ModelBundle.fromZip(zip, "fuzz.zip", LIMITS));
        });
    }

    private static void refusedOrRead(Runnable read) {
        try {
            read.run();
        } catch (ModelFormatException expected) {
            // refused with a reason: what a bad file must give
        }
    }
}
