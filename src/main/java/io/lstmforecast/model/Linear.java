package io.lstmforecast.model;

import java.util.Map;

/** PyTorch {@code nn.Linear}: y = W x + b with weight (out, in) and bias (out), batched as one GEMM. */
public final class Linear {
    private final PackedAffine affine;

    private Linear(PackedAffine affine) {
        this.affine = affine;
    }

    /** Checks {@code prefix}weight (out, in) and {@code prefix}bias (out,), then builds the layer. */
    public static Linear fromStateDict(Map<String, NpyArray> tensors, String prefix, int in, int out, String why) {
        float[] w = Tensors.require(tensors, prefix, "weight", new int[] {out, in}, why)
                .data();
        float[] b =
                Tensors.require(tensors, prefix, "bias", new int[] {out}, why).data();
        return new Linear(new PackedAffine.Packer(in, out)
                .weight(w, 0, out, in, 0, 0)
                .bias(b, 0, out, 0)
                .build(1));
    }

    public int inputSize() {
        return affine.inWidth();
    }

    public int outputSize() {
        return affine.outWidth();
    }

    /** y (batch x out) = x (batch x in) W^T + b. */
    public void apply(float[] x, float[] y, int batch) {
        int in = affine.inWidth();
        affine.ensureCapacity(batch);
        for (int r = 0; r < batch; r++) {
            affine.setInput(r, 0, x, r * in, in);
        }
        affine.apply(batch);
        for (int r = 0; r < batch; r++) {
            affine.getOutput(r, y, r * affine.outWidth());
        }
    }
}
