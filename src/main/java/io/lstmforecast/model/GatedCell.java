package io.lstmforecast.model;

/**
 * The shared shape of every cell here: all gate pre-activations of a batch come from one fused
 * GEMM, {@code [x | h | 1] · W}, then each entity's row goes through the cell's equations.
 */
abstract class GatedCell implements RecurrentCell {
    protected final int inputSize;
    protected final int hidden;
    private final PackedAffine affine;
    private final float[] gates;

    private final boolean sigmoidInGemm;

    /**
     * @param sigmoidInGemm the cell wants σ of every pre-activation, computed natively right after the
     *                      GEMM (tanh gates then come as tanh(a) = 2σ(2a) - 1, their columns packed times 2)
     */
    GatedCell(int inputSize, int hidden, PackedAffine affine, boolean sigmoidInGemm) {
        this.inputSize = inputSize;
        this.hidden = hidden;
        this.affine = affine;
        this.sigmoidInGemm = sigmoidInGemm;
        this.gates = new float[affine.outWidth()];
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
        if (sigmoidInGemm) {
            affine.applySigmoid(batch);
        } else {
            affine.apply(batch);
        }
        for (int b = 0; b < batch; b++) {
            affine.getOutput(b, gates, 0);
            update(gates, h, c, b * hidden);
        }
    }

    /** Applies the cell equations to one entity whose state starts at {@code offset}. */
    protected abstract void update(float[] gates, float[] h, float[] c, int offset);
}
