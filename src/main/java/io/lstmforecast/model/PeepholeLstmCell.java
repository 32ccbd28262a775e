package io.lstmforecast.model;

import static io.lstmforecast.model.Activations.sigmoid;
import static io.lstmforecast.model.Activations.tanh;

import java.util.Map;

/**
 * The vanilla LSTM of Greff et al. 2015 ("LSTM: A Search Space Odyssey", eq. 1-6): PyTorch's
 * gates plus peephole weights p_i, p_f, p_o (one per unit). Input and forget gates look at the old
 * cell state, the output gate at the new one:
 * <pre>
 *   i = σ(a_i + p_i ⊙ c)     f = σ(a_f + p_f ⊙ c)     g = tanh(a_g)
 *   c' = f ⊙ c + i ⊙ g        o = σ(a_o + p_o ⊙ c')    h' = o ⊙ tanh(c')
 * </pre>
 * where a = W_ih x + b_ih + W_hh h + b_hh in PyTorch's gate order i, f, g, o.
 */
final class PeepholeLstmCell extends GatedCell {
    private final float[] pI;
    private final float[] pF;
    private final float[] pO;

    private PeepholeLstmCell(int inputSize, int hidden, PackedAffine affine, float[] pI, float[] pF, float[] pO) {
        super(inputSize, hidden, affine);
        this.pI = pI;
        this.pF = pF;
        this.pO = pO;
    }

    /** The gates pack as LSTM's; the peepholes act on c and stay out of the GEMM. */
    static PeepholeLstmCell create(int layer, int in, int hidden, Map<String, NpyArray> t, int batch) {
        return new PeepholeLstmCell(
                in,
                hidden,
                packGates(layer, in, hidden, new int[] {0, 1, 2, 3}, t, batch),
                t.get("peephole_i_l" + layer).data(),
                t.get("peephole_f_l" + layer).data(),
                t.get("peephole_o_l" + layer).data());
    }

    @Override
    public CellKind kind() {
        return CellKind.PEEPHOLE;
    }

    @Override
    protected void update(float[] a, float[] h, float[] c, int offset) {
        int n = hidden;
        for (int j = 0; j < n; j++) {
            float cPrev = c[offset + j];
            float i = sigmoid(a[j] + pI[j] * cPrev);
            float f = sigmoid(a[n + j] + pF[j] * cPrev);
            float g = tanh(a[2 * n + j]);
            float cNext = f * cPrev + i * g;
            float o = sigmoid(a[3 * n + j] + pO[j] * cNext);
            c[offset + j] = cNext;
            h[offset + j] = o * tanh(cNext);
        }
    }
}
