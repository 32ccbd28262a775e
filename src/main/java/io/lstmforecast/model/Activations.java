package io.lstmforecast.model;

/**
 * The gate nonlinearities in float32, over array ranges in place, written so that HotSpot's C2
 * compiles each loop to SIMD instructions: no branches, no calls, no double, only multiply, add,
 * divide, min and max.
 *
 * <p>tanh is the 13/6-degree rational interpolant that Eigen (and so TensorFlow and XNNPACK) uses for
 * float tanh: odd numerator over even denominator on x clamped to [-9, 9], where float tanh is
 * already ±1. Its error is a couple of float ulps (ActivationsTest holds it under 5e-7 over
 * [-12, 12]), far inside the 1e-5 the golden vectors hold us to. σ follows from tanh:
 * σ(x) = (1 + tanh(x/2)) / 2. Per gate value this replaced a JNI sigmoid over the whole GEMM output
 * and a {@code Math.exp} in double, which together were 60 % of a batched step (docs/PERFORMANCE.md).
 */
final class Activations {
    private static final float CLAMP = 9f;
    private static final float A1 = 4.89352455891786e-03f;
    private static final float A3 = 6.37261928875436e-04f;
    private static final float A5 = 1.48572235717979e-05f;
    private static final float A7 = 5.12229709037114e-08f;
    private static final float A9 = -8.60467152213735e-11f;
    private static final float A11 = 2.00018790482477e-13f;
    private static final float A13 = -2.76076847742355e-16f;
    private static final float B0 = 4.89352518554385e-03f;
    private static final float B2 = 2.26843463243900e-03f;
    private static final float B4 = 1.18534705686654e-04f;
    private static final float B6 = 1.19825839466702e-06f;

    private Activations() {}

    static float tanh(float value) {
        float x = Math.max(-CLAMP, Math.min(CLAMP, value));
        float x2 = x * x;
        float p = ((((((A13 * x2 + A11) * x2 + A9) * x2 + A7) * x2 + A5) * x2 + A3) * x2 + A1) * x;
        float q = ((B6 * x2 + B4) * x2 + B2) * x2 + B0;
        return p / q;
    }

    static float sigmoid(float value) {
        return 0.5f + 0.5f * tanh(0.5f * value);
    }

    /** a[i] = tanh(a[i]) for i in [from, to). */
    static void tanh(float[] a, int from, int to) {
        for (int i = from; i < to; i++) {
            a[i] = tanh(a[i]);
        }
    }

    /** a[i] = σ(a[i]) for i in [from, to). */
    static void sigmoid(float[] a, int from, int to) {
        for (int i = from; i < to; i++) {
            a[i] = sigmoid(a[i]);
        }
    }
}
