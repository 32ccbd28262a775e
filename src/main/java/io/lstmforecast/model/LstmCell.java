package io.lstmforecast.model;

import static io.lstmforecast.model.Activations.sigmoid;
import static io.lstmforecast.model.Activations.tanh;

import java.util.Map;

/**
 * PyTorch {@code nn.LSTM}, one layer. Gate rows in order i, f, g, o:
 * <pre>
 *   i = σ(W_ii x + b_ii + W_hi h + b_hi)     f = σ(W_if x + b_if + W_hf h + b_hf)
 *   g = tanh(W_ig x + b_ig + W_hg h + b_hg)  o = σ(W_io x + b_io + W_ho h + b_ho)
 *   c' = f ⊙ c + i ⊙ g                       h' = o ⊙ tanh(c')
 * </pre>
 * One GEMM gives every entity's pre-activations. The cell packs its columns as [a_i | a_f | a_o | a_g], not in
 * PyTorch's row order i, f, g, o, so that the three σ gates are one contiguous block: one SIMD loop for σ, one for
 * tanh(a_g), one for tanh(c').
 */
final class LstmCell extends GatedCell {

    private LstmCell(int inputSize, int hidden, PackedAffine affine) {
        super(inputSize, hidden, affine);
    }

    static LstmCell create(int layer, int in, int hidden, Map<String, NpyArray> t, int batch) {
        // PyTorch's gate blocks i, f, g, o go to columns i, f, o, g.
        return new LstmCell(in, hidden, packGates(layer, in, hidden, new int[] {0, 1, 3, 2}, t, batch));
    }

    @Override
    public CellKind kind() {
        return CellKind.LSTM;
    }

    @Override
    protected void update(float[] a, float[] h, float[] c, int offset) {
        int n = hidden;
        int i = 0;
        int f = n;
        int o = 2 * n;
        int g = 3 * n;
        sigmoid(a, i, g); // i, f and o
        tanh(a, g, g + n); // g
        for (int j = 0; j < n; j++) {
            float cNext = a[f + j] * c[offset + j] + a[i + j] * a[g + j];
            c[offset + j] = cNext;
            a[g + j] = cNext;
        }
        tanh(a, g, g + n); // tanh(c'), in g's place
        for (int j = 0; j < n; j++) {
            h[offset + j] = a[o + j] * a[g + j];
        }
    }
}
