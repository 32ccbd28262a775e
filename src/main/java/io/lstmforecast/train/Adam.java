package io.lstmforecast.train;

/** Adam (Kingma and Ba 2015) with bias correction, over a flat parameter array. */
final class Adam {
    private static final double BETA1 = 0.9;
    private static final double BETA2 = 0.999;
    private static final double EPSILON = 1e-8;

    private double learningRate;
    private final double[] m;
    private final double[] v;
    private int t;

    Adam(int size, double learningRate) {
        this.learningRate = learningRate;
        this.m = new double[size];
        this.v = new double[size];
    }

    double learningRate() {
        return learningRate;
    }

    /** A learning-rate schedule sets the step size; the moment estimates carry on. */
    void learningRate(double rate) {
        this.learningRate = rate;
    }

    void step(double[] params, double[] grad) {
        t++;
        double c1 = 1 - Math.pow(BETA1, t);
        double c2 = 1 - Math.pow(BETA2, t);
        for (int i = 0; i < params.length; i++) {
            m[i] = BETA1 * m[i] + (1 - BETA1) * grad[i];
            v[i] = BETA2 * v[i] + (1 - BETA2) * grad[i] * grad[i];
            params[i] -= learningRate * (m[i] / c1) / (Math.sqrt(v[i] / c2) + EPSILON);
        }
    }
}
