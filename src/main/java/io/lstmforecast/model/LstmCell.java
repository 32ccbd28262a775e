package io.lstmforecast.model;

import static io.lstmforecast.model.Activations.tanh;

/**
 * PyTorch {@code nn.LSTM}, one layer. Gate rows in order i, f, g, o:
 * <pre>
 *   i = σ(W_ii x + b_ii + W_hi h + b_hi)     f = σ(W_if x + b_if + W_hf h + b_hf)
 *   g = tanh(W_ig x + b_ig + W_hg h + b_hg)  o = σ(W_io x + b_io + W_ho h + b_ho)
 *   c' = f ⊙ c + i ⊙ g                       h' = o ⊙ tanh(c')
 * </pre>
 * The fused GEMM applies σ to all four blocks natively; the g block is packed times 2, so
 * g = tanh(a_g) = 2σ(2 a_g) - 1.
 */
final class LstmCell extends GatedCell {

    LstmCell(int inputSize, int hidden, PackedAffine affine) {
        super(inputSize, hidden, affine, true);
    }

    @Override
    public CellKind kind() {
        return CellKind.LSTM;
    }

    @Override
    protected void update(float[] s, float[] h, float[] c, int offset) {
        int n = hidden;
        for (int j = 0; j < n; j++) {
            float i = s[j];
            float f = s[n + j];
            float g = 2 * s[2 * n + j] - 1;
            float o = s[3 * n + j];
            float cNext = f * c[offset + j] + i * g;
            c[offset + j] = cNext;
            h[offset + j] = o * tanh(cNext);
        }
    }
}
