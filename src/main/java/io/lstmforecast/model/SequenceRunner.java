package io.lstmforecast.model;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs a time-major sequence through a {@link RecurrentNetwork} one step at a time, the way the
 * streaming job advances its entities, and returns PyTorch's outputs: output (T, B, H),
 * h_n and c_n (L, B, H).
 */
public final class SequenceRunner {
    private SequenceRunner() {}

    /** @param h0 (L, B, H) or null for zeros; {@code c0} likewise (ignored for GRU). */
    public static Map<String, NpyArray> run(RecurrentNetwork net, NpyArray x, NpyArray h0, NpyArray c0) {
        int layers = net.numLayers();
        int hidden = net.hiddenSize();
        int in = net.inputSize();
        if (x.rank() != 3 || x.dim(2) != in) {
            throw new ModelFormatException("input 'x' has shape " + x.shapeString() + " but (T, B, " + in
                    + ") is expected (time-major, input size " + in + " of the weights)");
        }
        int steps = x.dim(0);
        int batch = x.dim(1);
        int[] stateShape = {layers, batch, hidden};
        float[][] h = initialState(h0, "h0", stateShape);
        float[][] c = net.kind().hasCellState() ? initialState(c0, "c0", stateShape) : null;

        float[] output = new float[steps * batch * hidden];
        float[] xt = new float[batch * in];
        for (int t = 0; t < steps; t++) {
            System.arraycopy(x.data(), t * batch * in, xt, 0, xt.length);
            float[] top = net.step(xt, h, c, batch);
            System.arraycopy(top, 0, output, t * batch * hidden, batch * hidden);
        }
        Map<String, NpyArray> result = new LinkedHashMap<>();
        result.put("output", NpyArray.of(output, steps, batch, hidden));
        result.put("h_n", NpyArray.of(flatten(h), stateShape));
        if (c != null) {
            result.put("c_n", NpyArray.of(flatten(c), stateShape));
        }
        return result;
    }

    private static float[][] initialState(NpyArray given, String name, int[] shape) {
        int per = shape[1] * shape[2];
        float[][] state = new float[shape[0]][per];
        if (given == null) {
            return state;
        }
        if (!given.hasShape(shape)) {
            throw new ModelFormatException("initial state '" + name + "' has shape " + given.shapeString() + " but "
                    + NpyArray.describe(shape) + " (layers, batch, hidden) is expected");
        }
        for (int l = 0; l < shape[0]; l++) {
            System.arraycopy(given.data(), l * per, state[l], 0, per);
        }
        return state;
    }

    private static float[] flatten(float[][] perLayer) {
        int per = perLayer[0].length;
        float[] out = new float[perLayer.length * per];
        for (int l = 0; l < perLayer.length; l++) {
            System.arraycopy(perLayer[l], 0, out, l * per, per);
        }
        return out;
    }
}
