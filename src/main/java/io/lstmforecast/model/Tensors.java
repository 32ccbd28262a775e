package io.lstmforecast.model;

import java.util.Map;

/** Checks of named tensors against the shapes a model needs, before anything is allocated. */
final class Tensors {
    private Tensors() {}

    /**
     * Requires {@code prefix + name} in {@code tensors} with exactly {@code shape} and finite values.
     *
     * @param why what the expected shape follows from, e.g. "hidden_size 64 in model.json"
     */
    static NpyArray require(Map<String, NpyArray> tensors, String prefix, String name, int[] shape, String why) {
        String full = prefix + name;
        NpyArray a = tensors.get(full);
        if (a == null) {
            throw new ModelFormatException(
                    "tensor '" + full + "' is missing; expected shape " + NpyArray.describe(shape) + " (" + why + ")");
        }
        if (!a.hasShape(shape)) {
            throw new ModelFormatException("tensor '" + full + "' has shape " + a.shapeString() + " but "
                    + NpyArray.describe(shape) + " is expected (" + why + ")");
        }
        int bad = a.firstNonFinite();
        if (bad >= 0) {
            throw new ModelFormatException("tensor '" + full + "' holds " + a.data()[bad] + " at flat index " + bad
                    + "; weights must be finite");
        }
        return a;
    }
}
