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
 * One GEMM gives a = [a_i | a_f | a_g | a_o] for the whole batch; the activations then run over
 * contiguous blocks of a, each one SIMD loop.
 */
final class LstmCell extends GatedCell {

    private LstmCell(int inputSize, int hidden, PackedAffine affine) {
        super(inputSize, hidden, affine);
    }

    static LstmCell create(int layer, int in, int hidden, Map<String, NpyArray> t, int batch) {
        return new LstmCell(in, hidden, packAllGates(layer, in, hidden, 4, t, batch));
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
        int g = 2 * n;
        int o = 3 * n;
        sigmoid(a, i, g);      // i and f
        tanh(a, g, o);         // g
        sigmoid(a, o, o + n);  // o
        for (int j = 0; j < n; j++) {
            float cNext = a[f + j] * c[offset + j] + a[i + j] * a[g + j];
            c[offset + j] = cNext;
            a[g + j] = cNext;
        }
        tanh(a, g, o);         // tanh(c'), in g's place
        for (int j = 0; j < n; j++) {
            h[offset + j] = a[o + j] * a[g + j];
        }
    }
}
