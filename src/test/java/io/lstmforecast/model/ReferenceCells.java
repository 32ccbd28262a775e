package io.lstmforecast.model;

import java.util.Map;

/**
 * An independent double-precision reference of every cell, written straight from the equations
 * (PyTorch's documentation for LSTM and GRU; Greff et al. 2015 for peephole and CIFG), one gate
 * at a time, with none of the engine's packing.
 */
final class ReferenceCells {
    private ReferenceCells() {}

    static double sigma(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    /** W[row-block gate] · v for gate index g of a (G*H, n) weight. */
    static double dot(float[] w, int row, float[] v, int n) {
        double s = 0;
        for (int k = 0; k < n; k++) {
            s += (double) w[row * n + k] * v[k];
        }
        return s;
    }

    /**
     * Runs one layer over a sequence for one entity. {@code x[t]} has {@code in} values; h and c are
     * updated in place (c ignored for GRU). Returns h at every step.
     */
    static float[][] layer(CellKind kind, Map<String, NpyArray> t, int layer, float[][] x, float[] h, float[] c) {
        int hidden = h.length;
        int in = x[0].length;
        float[] wi = t.get("weight_ih_l" + layer).data();
        float[] wh = t.get("weight_hh_l" + layer).data();
        float[] bi = t.get("bias_ih_l" + layer).data();
        float[] bh = t.get("bias_hh_l" + layer).data();
        float[][] out = new float[x.length][];
        for (int s = 0; s < x.length; s++) {
            double[] nh = new double[hidden];
            double[] nc = new double[hidden];
            for (int j = 0; j < hidden; j++) {
                switch (kind) {
                    case LSTM, PEEPHOLE -> {
                        double ai = dot(wi, j, x[s], in) + bi[j] + dot(wh, j, h, hidden) + bh[j];
                        double af = dot(wi, hidden + j, x[s], in)
                                + bi[hidden + j]
                                + dot(wh, hidden + j, h, hidden)
                                + bh[hidden + j];
                        double ag = dot(wi, 2 * hidden + j, x[s], in)
                                + bi[2 * hidden + j]
                                + dot(wh, 2 * hidden + j, h, hidden)
                                + bh[2 * hidden + j];
                        double ao = dot(wi, 3 * hidden + j, x[s], in)
                                + bi[3 * hidden + j]
                                + dot(wh, 3 * hidden + j, h, hidden)
                                + bh[3 * hidden + j];
                        boolean p = kind == CellKind.PEEPHOLE;
                        double i = sigma(ai + (p ? t.get("peephole_i_l" + layer).data()[j] * c[j] : 0));
                        double f = sigma(af + (p ? t.get("peephole_f_l" + layer).data()[j] * c[j] : 0));
                        nc[j] = f * c[j] + i * Math.tanh(ag);
                        double o = sigma(ao + (p ? t.get("peephole_o_l" + layer).data()[j] * nc[j] : 0));
                        nh[j] = o * Math.tanh(nc[j]);
                    }
                    case CIFG -> {
                        double ai = dot(wi, j, x[s], in) + bi[j] + dot(wh, j, h, hidden) + bh[j];
                        double ag = dot(wi, hidden + j, x[s], in)
                                + bi[hidden + j]
                                + dot(wh, hidden + j, h, hidden)
                                + bh[hidden + j];
                        double ao = dot(wi, 2 * hidden + j, x[s], in)
                                + bi[2 * hidden + j]
                                + dot(wh, 2 * hidden + j, h, hidden)
                                + bh[2 * hidden + j];
                        double i = sigma(ai);
                        nc[j] = (1 - i) * c[j] + i * Math.tanh(ag);
                        nh[j] = sigma(ao) * Math.tanh(nc[j]);
                    }
                    case GRU -> {
                        double r = sigma(dot(wi, j, x[s], in) + bi[j] + dot(wh, j, h, hidden) + bh[j]);
                        double z = sigma(dot(wi, hidden + j, x[s], in)
                                + bi[hidden + j]
                                + dot(wh, hidden + j, h, hidden)
                                + bh[hidden + j]);
                        double n = Math.tanh(dot(wi, 2 * hidden + j, x[s], in)
                                + bi[2 * hidden + j]
                                + r * (dot(wh, 2 * hidden + j, h, hidden) + bh[2 * hidden + j]));
                        nh[j] = (1 - z) * n + z * h[j];
                    }
                }
            }
            for (int j = 0; j < hidden; j++) {
                h[j] = (float) nh[j];
                if (kind.hasCellState()) {
                    c[j] = (float) nc[j];
                }
            }
            out[s] = h.clone();
        }
        return out;
    }
}
