package io.lstmforecast.model.formats;

import io.lstmforecast.model.NpyArray;
import io.lstmforecast.model.ReadLimits;
import io.lstmforecast.model.bundle.ModelBundle;
import io.lstmforecast.model.bundle.ModelSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A weights file trained elsewhere, read once, on its way into a bundle: its spec is made with {@link ModelImport},
 * and the bundle is written and run before it counts as imported.
 *
 * @param format  as read from the content
 * @param tensors the state_dict the file holds
 */
public record WeightsImport(Path from, byte[] file, WeightsFormat format, Map<String, NpyArray> tensors) {
    /** Events the written bundle is run for before the import succeeds. */
    public static final int CHECK_STEPS = 5;

    public static WeightsImport read(Path from, ReadLimits limits) throws IOException {
        byte[] file = limits.readModelFile(from);
        return new WeightsImport(
                from,
                file,
                WeightsFormat.detect(file, from.toString()),
                WeightsFormat.read(file, from.toString(), limits));
    }

    /** The file's name without its extension: the model's name unless one is given. */
    public String baseName() {
        String fileName = from.getFileName().toString();
        return fileName.contains(".") ? fileName.substring(0, fileName.lastIndexOf('.')) : fileName;
    }

    /** The bundle's spec; {@code npz}: the weights converted to weights.npz, else the file as it is. */
    public ModelSpec spec(ModelImport.Request request, boolean npz) {
        String weightsFile = npz ? ModelBundle.WEIGHTS_FILE : "weights." + format.extension;
        return ModelImport.spec(
                tensors, request, weightsFile, from.getFileName().toString());
    }

    /**
     * Writes the bundle of {@code spec} (from {@link #spec}) to {@code out}, loads it back and runs it for
     * {@link #CHECK_STEPS} events at the feature means; returns the last forecast. A bundle that does not load or run
     * is removed again and the failure thrown.
     */
    public float[] writeChecked(Path out, ModelSpec spec, boolean npz, ReadLimits limits) throws IOException {
        if (npz) {
            new ModelBundle(spec.withWeights(null), tensors).writeTo(out);
        } else {
            ModelBundle.write(out, spec, file);
        }
        try {
            return ModelImport.check(ModelBundle.read(out, limits), CHECK_STEPS);
        } catch (RuntimeException e) {
            // A bundle that does not run is not left behind looking like one that does.
            Files.deleteIfExists(out.resolve(ModelBundle.SPEC_FILE));
            Files.deleteIfExists(out.resolve(spec.weightsFile()));
            throw e;
        }
    }
}
