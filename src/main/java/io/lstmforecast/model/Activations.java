package io.lstmforecast.model;

/** The gate nonlinearities, computed in double and rounded once, as PyTorch's float32 kernels round. */
final class Activations {
    private Activations() {
    }

    static float sigmoid(float x) {
        return (float) (1.0 / (1.0 + Math.exp(-x)));
    }

    static float tanh(float x) {
        // 1 - 2/(e^{2x}+1) needs one exp and saturates cleanly to +-1 for large |x|.
        return (float) (1.0 - 2.0 / (Math.exp(2.0 * x) + 1.0));
    }
}
