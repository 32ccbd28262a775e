package io.lstmforecast.model;

import static io.lstmforecast.model.Activations.sigmoid;
import static io.lstmforecast.model.Activations.tanh;

import java.util.Map;

/**
 * Coupled input-forget gate LSTM (CIFG, Greff et al. 2015): the forget gate is 1 - i, so the layer
 * has three gate blocks, in order i, g, o:
 * <pre>
 *   i = σ(a_i)     g = tanh(a_g)     o = σ(a_o)
 *   c' = (1 - i) ⊙ c + i ⊙ g          h' = o ⊙ tanh(c')
 * </pre>
 * with a = W_ih x + b_ih + W_hh h + b_hh; weights (3H, ·) in PyTorch layout.
 */
final class CifgLstmCell extends GatedCell {

    private CifgLstmCell(int inputSize, int hidden, PackedAffine affine) {
        super(inputSize, hidden, affine);
    }

    static CifgLstmCell create(int layer, int in, int hidden, Map<String, NpyArray> t, int batch) {
        return new CifgLstmCell(in, hidden, packAllGates(layer, in, hidden, 3, t, batch));
    }

    @Override
    public CellKind kind() {
        return CellKind.CIFG;
    }

    @Override
    protected void update(float[] a, float[] h, float[] c, int offset) {
        int n = hidden;
        int i = 0;
        int g = n;
        int o = 2 * n;
        sigmoid(a, i, g);
        tanh(a, g, o);
        sigmoid(a, o, o + n);
        for (int j = 0; j < n; j++) {
            float cNext = (1f - a[i + j]) * c[offset + j] + a[i + j] * a[g + j];
            c[offset + j] = cNext;
            a[g + j] = cNext;
        }
        tanh(a, g, o);         // tanh(c'), in g's place
        for (int j = 0; j < n; j++) {
            h[offset + j] = a[o + j] * a[g + j];
        }
    }
}
