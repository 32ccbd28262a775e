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
 * with a = W_ih x + b_ih + W_hh h + b_hh; weights (3H, ·) in PyTorch layout. As {@link LstmCell}, the cell packs
 * the σ gates side by side, columns [a_i | a_o | a_g].
 */
final class CifgLstmCell extends GatedCell {

    private CifgLstmCell(int inputSize, int hidden, PackedAffine affine) {
        super(inputSize, hidden, affine);
    }

    static CifgLstmCell create(int layer, int in, int hidden, Map<String, NpyArray> t, int batch) {
        return new CifgLstmCell(in, hidden, packGates(layer, in, hidden, new int[] {0, 2, 1}, t, batch));
    }

    @Override
    public CellKind kind() {
        return CellKind.CIFG;
    }

    @Override
    protected void update(float[] a, float[] h, float[] c, int offset) {
        int n = hidden;
        int i = 0;
        int o = n;
        int g = 2 * n;
        sigmoid(a, i, g); // i and o
        tanh(a, g, g + n); // g
        for (int j = 0; j < n; j++) {
            float cNext = (1f - a[i + j]) * c[offset + j] + a[i + j] * a[g + j];
            c[offset + j] = cNext;
            a[g + j] = cNext;
        }
        tanh(a, g, g + n); // tanh(c'), in g's place
        for (int j = 0; j < n; j++) {
            h[offset + j] = a[o + j] * a[g + j];
        }
    }
}
