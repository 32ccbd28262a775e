package io.lstmforecast.model;

import static io.lstmforecast.model.Activations.sigmoid;
import static io.lstmforecast.model.Activations.tanh;

/**
 * PyTorch {@code nn.GRU}, one layer. Gate rows in order r, z, n; the reset gate multiplies
 * {@code W_hn h + b_hn}, so the fused GEMM keeps the n gate's input and hidden parts apart:
 * its output columns are [r | z | W_in x + b_in | W_hn h + b_hn].
 * <pre>
 *   r = σ(W_ir x + b_ir + W_hr h + b_hr)     z = σ(W_iz x + b_iz + W_hz h + b_hz)
 *   n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn))
 *   h' = (1 - z) ⊙ n + z ⊙ h
 * </pre>
 */
final class GruCell extends GatedCell {

    GruCell(int inputSize, int hidden, PackedAffine affine) {
        super(inputSize, hidden, affine, false);
    }

    @Override
    public CellKind kind() {
        return CellKind.GRU;
    }

    @Override
    protected void update(float[] a, float[] h, float[] c, int offset) {
        int n = hidden;
        for (int j = 0; j < n; j++) {
            float r = sigmoid(a[j]);
            float z = sigmoid(a[n + j]);
            float cand = tanh(a[2 * n + j] + r * a[3 * n + j]);
            h[offset + j] = (1f - z) * cand + z * h[offset + j];
        }
    }
}
