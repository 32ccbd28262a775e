package io.lstmforecast.model;

import java.util.Map;

/**
 * The shared shape of every cell here: all gate pre-activations of a batch come from one fused
 * GEMM, {@code [x | h | 1] · W}, then each entity's row goes through the cell's equations. Each cell
 * packs its own W from PyTorch's tensors, because only the cell knows which blocks its equations
 * need apart.
 */
abstract class GatedCell implements RecurrentCell {
    protected final int inputSize;
    protected final int hidden;
    private final PackedAffine affine;
    private final float[] gates;

    GatedCell(int inputSize, int hidden, PackedAffine affine) {
        this.inputSize = inputSize;
        this.hidden = hidden;
        this.affine = affine;
        this.gates = new float[affine.outWidth()];
    }

    /**
     * W for a = W_ih x + b_ih + W_hh h + b_hh: rows [0, in) take x, rows [in, in + H) take h, and both biases add
     * into the last row. PyTorch's gate block k (its row order) goes to column block {@code column[k]}.
     */
    static PackedAffine packGates(int layer, int in, int hidden, int[] column, Map<String, NpyArray> t, int batch) {
        PackedAffine.Packer packer = new PackedAffine.Packer(in + hidden, column.length * hidden);
        for (int k = 0; k < column.length; k++) {
            int row = k * hidden;
            int col = column[k] * hidden;
            packer.weight(t.get("weight_ih_l" + layer).data(), row, hidden, in, 0, col)
                    .weight(t.get("weight_hh_l" + layer).data(), row, hidden, hidden, in, col)
                    .bias(t.get("bias_ih_l" + layer).data(), row, hidden, col)
                    .bias(t.get("bias_hh_l" + layer).data(), row, hidden, col);
        }
        return packer.build(batch);
    }

    @Override
    public int inputSize() {
        return inputSize;
    }

    @Override
    public int hiddenSize() {
        return hidden;
    }

    @Override
    public final void step(float[] x, float[] h, float[] c, int batch) {
        affine.ensureCapacity(batch);
        for (int b = 0; b < batch; b++) {
            affine.setInput(b, 0, x, b * inputSize, inputSize);
            affine.setInput(b, inputSize, h, b * hidden, hidden);
        }
        affine.apply(batch);
        for (int b = 0; b < batch; b++) {
            affine.getOutput(b, gates, 0);
            update(gates, h, c, b * hidden);
        }
    }

    /**
     * Applies the cell equations to one entity whose state starts at {@code offset}; {@code a} holds its gate
     * pre-activations and may be overwritten.
     */
    protected abstract void update(float[] a, float[] h, float[] c, int offset);
}
