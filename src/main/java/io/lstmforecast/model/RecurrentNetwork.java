package io.lstmforecast.model;

import java.util.HashMap;
import java.util.Map;

/**
 * A stack of recurrent layers, as PyTorch's multi-layer {@code nn.LSTM} / {@code nn.GRU}: layer
 * k > 0 takes layer k-1's new hidden state as its input. States are per layer, batch x hidden.
 */
public final class RecurrentNetwork {
    private final CellKind kind;
    private final int inputSize;
    private final int hidden;
    private final RecurrentCell[] layers;

    private RecurrentNetwork(CellKind kind, int inputSize, int hidden, RecurrentCell[] layers) {
        this.kind = kind;
        this.inputSize = inputSize;
        this.hidden = hidden;
        this.layers = layers;
    }

    /**
     * Builds the network from a state_dict whose recurrent tensors carry {@code prefix}
     * (e.g. "lstm." or ""). Every tensor is checked before any native memory is allocated.
     */
    public static RecurrentNetwork fromStateDict(
            Map<String, NpyArray> tensors,
            String prefix,
            CellKind kind,
            int inputSize,
            int hidden,
            int numLayers,
            String why) {
        Map<String, NpyArray> byName = new HashMap<>();
        for (int l = 0; l < numLayers; l++) {
            int in = l == 0 ? inputSize : hidden;
            for (Map.Entry<String, int[]> e : kind.layerTensors(l, in, hidden).entrySet()) {
                byName.put(e.getKey(), Tensors.require(tensors, prefix, e.getKey(), e.getValue(), why));
            }
        }
        if (tensors.containsKey(prefix + "weight_ih_l" + numLayers)) {
            throw new ModelFormatException("tensor '" + prefix + "weight_ih_l" + numLayers
                    + "' is present but the model has " + numLayers + " layer(s) (" + why + ")");
        }
        RecurrentCell[] cells = new RecurrentCell[numLayers];
        for (int l = 0; l < numLayers; l++) {
            cells[l] = kind.create(l, l == 0 ? inputSize : hidden, hidden, byName, 1);
        }
        return new RecurrentNetwork(kind, inputSize, hidden, cells);
    }

    public CellKind kind() {
        return kind;
    }

    public int inputSize() {
        return inputSize;
    }

    public int hiddenSize() {
        return hidden;
    }

    public int numLayers() {
        return layers.length;
    }

    /**
     * Advances {@code batch} entities one step. {@code h[l]} and {@code c[l]} are layer l's states
     * (batch x hidden), updated in place; {@code c} is ignored by GRU. Returns the top layer's h.
     */
    public float[] step(float[] x, float[][] h, float[][] c, int batch) {
        float[] in = x;
        for (int l = 0; l < layers.length; l++) {
            layers[l].step(in, h[l], c == null ? null : c[l], batch);
            in = h[l];
        }
        return in;
    }
}
