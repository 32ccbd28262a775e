package io.lstmforecast.model;

import static io.lstmforecast.model.Activations.sigmoid;
import static io.lstmforecast.model.Activations.tanh;

import java.util.Map;

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

    private GruCell(int inputSize, int hidden, PackedAffine affine) {
        super(inputSize, hidden, affine);
    }

    /** Columns [r z | n_x | n_h]: the n gate's hidden part stays apart for r ⊙ (W_hn h + b_hn). */
    static GruCell create(int layer, int in, int hidden, Map<String, NpyArray> t, int batch) {
        float[] wIh = t.get("weight_ih_l" + layer).data();
        float[] wHh = t.get("weight_hh_l" + layer).data();
        float[] bIh = t.get("bias_ih_l" + layer).data();
        float[] bHh = t.get("bias_hh_l" + layer).data();
        PackedAffine affine = new PackedAffine.Packer(in + hidden, 4 * hidden)
                .weight(wIh, 0, 2 * hidden, in, 0, 0)
                .weight(wHh, 0, 2 * hidden, hidden, in, 0)
                .bias(bIh, 0, 2 * hidden, 0)
                .bias(bHh, 0, 2 * hidden, 0)
                .weight(wIh, 2 * hidden, hidden, in, 0, 2 * hidden)
                .bias(bIh, 2 * hidden, hidden, 2 * hidden)
                .weight(wHh, 2 * hidden, hidden, hidden, in, 3 * hidden)
                .bias(bHh, 2 * hidden, hidden, 3 * hidden)
                .build(batch);
        return new GruCell(in, hidden, affine);
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
