package io.lstmforecast.model;

import static io.lstmforecast.model.Activations.sigmoid;
import static io.lstmforecast.model.Activations.tanh;

/**
 * PyTorch {@code nn.LSTM}, one layer. Gate rows in order i, f, g, o:
 * <pre>
 *   i = σ(W_ii x + b_ii + W_hi h + b_hi)     f = σ(W_if x + b_if + W_hf h + b_hf)
 *   g = tanh(W_ig x + b_ig + W_hg h + b_hg)  o = σ(W_io x + b_io + W_ho h + b_ho)
 *   c' = f ⊙ c + i ⊙ g                       h' = o ⊙ tanh(c')
 * </pre>
 */
final class LstmCell extends GatedCell {

    LstmCell(int inputSize, int hidden, PackedAffine affine) {
        super(inputSize, hidden, affine);
    }

    @Override
    public CellKind kind() {
        return CellKind.LSTM;
    }

    @Override
    protected void update(float[] a, float[] h, float[] c, int offset) {
        int n = hidden;
        for (int j = 0; j < n; j++) {
            float i = sigmoid(a[j]);
            float f = sigmoid(a[n + j]);
            float g = tanh(a[2 * n + j]);
            float o = sigmoid(a[3 * n + j]);
            float cNext = f * c[offset + j] + i * g;
            c[offset + j] = cNext;
            h[offset + j] = o * tanh(cNext);
        }
    }
}
