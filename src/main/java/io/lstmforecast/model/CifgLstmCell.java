package io.lstmforecast.model;

import static io.lstmforecast.model.Activations.tanh;

/**
 * Coupled input-forget gate LSTM (CIFG, Greff et al. 2015): the forget gate is 1 - i, so the layer
 * has three gate blocks, in order i, g, o:
 * <pre>
 *   i = σ(a_i)     g = tanh(a_g)     o = σ(a_o)
 *   c' = (1 - i) ⊙ c + i ⊙ g          h' = o ⊙ tanh(c')
 * </pre>
 * with a = W_ih x + b_ih + W_hh h + b_hh; weights (3H, ·) in PyTorch layout. As in {@link LstmCell},
 * σ comes from the fused GEMM and the g block is packed times 2.
 */
final class CifgLstmCell extends GatedCell {

    CifgLstmCell(int inputSize, int hidden, PackedAffine affine) {
        super(inputSize, hidden, affine, true);
    }

    @Override
    public CellKind kind() {
        return CellKind.CIFG;
    }

    @Override
    protected void update(float[] s, float[] h, float[] c, int offset) {
        int n = hidden;
        for (int j = 0; j < n; j++) {
            float i = s[j];
            float g = 2 * s[n + j] - 1;
            float o = s[2 * n + j];
            float cNext = (1f - i) * c[offset + j] + i * g;
            c[offset + j] = cNext;
            h[offset + j] = o * tanh(cNext);
        }
    }
}
