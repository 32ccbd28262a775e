package io.lstmforecast.train;

import java.util.Random;

/**
 * A stack of PyTorch-style LSTM layers and a linear head, in double precision, with a hand-written
 * backward pass through time. Parameters live in one flat array, laid out tensor after tensor in
 * PyTorch's shapes (weight_ih_lK (4H, I), weight_hh_lK (4H, H), bias_ih_lK, bias_hh_lK, then
 * head.weight (K, H), head.bias (K)), so export is a copy; with a learnt start, then h0 (L, H) and c0 (L, H), the state
 * every sequence not given one starts from.
 *
 * <p>Forward, per layer and step (gate order i, f, g, o):
 * <pre>
 *   a = W_ih x + b_ih + W_hh h + b_hh;  i, f, o = σ(a_i, a_f, a_o);  g = tanh(a_g)
 *   c' = f ⊙ c + i ⊙ g;  h' = o ⊙ tanh(c');  y = W_head h'_top + b_head
 * </pre>
 * Backward, per step from the last: with dh (from the head, the next step and the layer above) and
 * dc (from the next step): do = dh ⊙ tanh(c'), dc += dh ⊙ o ⊙ (1 - tanh²(c')), di = dc ⊙ g,
 * dg = dc ⊙ i, df = dc ⊙ c, dc_prev = dc ⊙ f, and each da through its nonlinearity's derivative.
 */
public final class LstmRegressor {
    final int inputs;
    final int hidden;
    final int layers;
    final int outputs;
    final double[] params;
    private final int[] wIh;
    private final int[] wHh;
    private final int[] bIh;
    private final int[] bHh;
    private final int headW;
    private final int headB;
    /** Offset of h0 (then c0) in {@link #params}; -1 when sequences start from zeros. */
    private final int start;

    public LstmRegressor(int inputs, int hidden, int layers, int outputs, long seed) {
        this(inputs, hidden, layers, outputs, seed, false);
    }

    /** With {@code learnedStart}, h0 and c0 are parameters too, starting at zero (so the first epoch starts as zeros). */
    public LstmRegressor(int inputs, int hidden, int layers, int outputs, long seed, boolean learnedStart) {
        this.inputs = inputs;
        this.hidden = hidden;
        this.layers = layers;
        this.outputs = outputs;
        wIh = new int[layers];
        wHh = new int[layers];
        bIh = new int[layers];
        bHh = new int[layers];
        int n = 0;
        for (int l = 0; l < layers; l++) {
            wIh[l] = n;
            n += 4 * hidden * inputSize(l);
            wHh[l] = n;
            n += 4 * hidden * hidden;
            bIh[l] = n;
            n += 4 * hidden;
            bHh[l] = n;
            n += 4 * hidden;
        }
        headW = n;
        n += outputs * hidden;
        headB = n;
        n += outputs;
        start = learnedStart ? n : -1;
        params = new double[learnedStart ? n + 2 * layers * hidden : n];
        // PyTorch's default initialisation: U(-1/sqrt(H), 1/sqrt(H)) for every LSTM and head tensor.
        Random rnd = new Random(seed);
        double bound = 1 / Math.sqrt(hidden);
        for (int i = 0; i < n; i++) {
            params[i] = (rnd.nextDouble() * 2 - 1) * bound;
        }
    }

    boolean learnedStart() {
        return start >= 0;
    }

    /** Offset of h0 ([layer][unit]); c0 follows it. */
    int offsetStart() {
        return start;
    }

    int inputSize(int layer) {
        return layer == 0 ? inputs : hidden;
    }

    int offsetWeightIh(int l) {
        return wIh[l];
    }

    int offsetWeightHh(int l) {
        return wHh[l];
    }

    int offsetBiasIh(int l) {
        return bIh[l];
    }

    int offsetBiasHh(int l) {
        return bHh[l];
    }

    int offsetHeadWeight() {
        return headW;
    }

    int offsetHeadBias() {
        return headB;
    }

    /** What a forward pass over one sequence keeps for the backward pass. */
    final class Trace {
        final int steps;
        final double[][][] x; // [layer][t][in]   input of the layer at t
        final double[][][] h; // [layer][t+1][H]  h[0] is the initial state
        final double[][][] c; // [layer][t+1][H]
        final double[][][] gates; // [layer][t][4H]   i, f, g, o after their nonlinearities
        final double[][] y; // [t][K]
        /** Started from the learnt h0, c0: the backward pass sends their gradient into them. */
        boolean fromLearnedStart;

        Trace(int steps) {
            this.steps = steps;
            x = new double[layers][steps][];
            h = new double[layers][steps + 1][hidden];
            c = new double[layers][steps + 1][hidden];
            gates = new double[layers][steps][4 * hidden];
            y = new double[steps][outputs];
        }
    }

    /**
     * Closed-loop inputs: from step {@code from} on, the input's target columns are the model's own
     * previous output mapped back to input units, as the job's recursive horizon does.
     * In normalised units x_t[c] = (y_{t-1}·targetStd + targetMean (+ raw x_{t-1}[c] if residual)
     * - featureMean[c]) / featureStd[c].
     */
    record Feedback(
            int from,
            int[] columns,
            boolean residual,
            double[] featureMean,
            double[] featureStd,
            double[] targetMean,
            double[] targetStd) {
        /** d x_t[columns[k]] / d y_{t-1}[k]. */
        double scale(int k) {
            return targetStd[k] / featureStd[columns[k]];
        }
    }

    /** Runs a sequence from zero state with teacher-forced inputs; {@code input[t]} has {@link #inputs} values. */
    Trace forward(double[][] input) {
        return forward(input, null);
    }

    /** Runs a sequence from zero state; with {@code fb}, steps from fb.from() take their targets from the model. */
    Trace forward(double[][] teacher, Feedback fb) {
        return forward(teacher, fb, null);
    }

    /**
     * Runs a sequence from {@code start} ([h, c][layer][unit], as {@link #finalState} returns it; null: the learnt
     * start, or zeros). A given start is a constant of this sequence: {@link #backward} sends no gradient into it, so a
     * state handed on from the previous chunk of a series is detached there (truncated back-propagation through time).
     */
    Trace forward(double[][] teacher, Feedback fb, double[][][] start) {
        Trace tr = new Trace(teacher.length);
        if (start != null) {
            for (int l = 0; l < layers; l++) {
                System.arraycopy(start[0][l], 0, tr.h[l][0], 0, hidden);
                System.arraycopy(start[1][l], 0, tr.c[l][0], 0, hidden);
            }
        } else if (learnedStart()) {
            tr.fromLearnedStart = true;
            for (int l = 0; l < layers; l++) {
                System.arraycopy(params, this.start + l * hidden, tr.h[l][0], 0, hidden);
                System.arraycopy(params, this.start + (layers + l) * hidden, tr.c[l][0], 0, hidden);
            }
        }
        int hd = hidden;
        for (int t = 0; t < teacher.length; t++) {
            double[] in = teacher[t];
            if (fb != null && t >= fb.from() && t > 0) {
                in = in.clone();
                double[] prev = tr.x[0][t - 1];
                for (int k = 0; k < fb.columns().length; k++) {
                    int c = fb.columns()[k];
                    double raw = tr.y[t - 1][k] * fb.targetStd()[k]
                            + fb.targetMean()[k]
                            + (fb.residual() ? prev[c] * fb.featureStd()[c] + fb.featureMean()[c] : 0);
                    in[c] = (raw - fb.featureMean()[c]) / fb.featureStd()[c];
                }
            }
            for (int l = 0; l < layers; l++) {
                tr.x[l][t] = in;
                int ni = inputSize(l);
                double[] hPrev = tr.h[l][t];
                double[] cPrev = tr.c[l][t];
                double[] gate = tr.gates[l][t];
                for (int r = 0; r < 4 * hd; r++) {
                    double a = params[bIh[l] + r] + params[bHh[l] + r];
                    int wi = wIh[l] + r * ni;
                    for (int k = 0; k < ni; k++) {
                        a += params[wi + k] * in[k];
                    }
                    int wh = wHh[l] + r * hd;
                    for (int k = 0; k < hd; k++) {
                        a += params[wh + k] * hPrev[k];
                    }
                    gate[r] = (r >= 2 * hd && r < 3 * hd) ? Math.tanh(a) : 1 / (1 + Math.exp(-a));
                }
                double[] hNext = tr.h[l][t + 1];
                double[] cNext = tr.c[l][t + 1];
                for (int j = 0; j < hd; j++) {
                    cNext[j] = gate[hd + j] * cPrev[j] + gate[j] * gate[2 * hd + j];
                    hNext[j] = gate[3 * hd + j] * Math.tanh(cNext[j]);
                }
                in = hNext;
            }
            for (int o = 0; o < outputs; o++) {
                double v = params[headB + o];
                for (int j = 0; j < hd; j++) {
                    v += params[headW + o * hd + j] * in[j];
                }
                tr.y[t][o] = v;
            }
        }
        return tr;
    }

    /** The state after the trace's last step, [h, c][layer][unit]: the start of the series' next chunk. */
    double[][][] finalState(Trace tr) {
        double[][][] s = new double[2][layers][];
        for (int l = 0; l < layers; l++) {
            s[0][l] = tr.h[l][tr.steps].clone();
            s[1][l] = tr.c[l][tr.steps].clone();
        }
        return s;
    }

    void backward(Trace tr, double[][] dy, double[] grad) {
        backward(tr, dy, null, grad);
    }

    /**
     * Adds the gradient of the loss to {@code grad}, given dLoss/dy at every step ({@code dy[t]} may
     * be null where the loss does not look at step t). Time-major, from the last step: at each step
     * the head, then the layers from the top; with feedback, a closed-loop input's gradient flows
     * back into the previous step's output (and, for residual models, the previous input).
     */
    void backward(Trace tr, double[][] dy, Feedback fb, double[] grad) {
        int hd = hidden;
        int steps = tr.steps;
        double[][] dh = new double[layers][hd];
        double[][] dc = new double[layers][hd];
        double[] da = new double[4 * hd];
        double[][] dInput = new double[steps + 1][inputs];
        for (int t = steps - 1; t >= 0; t--) {
            double[] dyt = new double[outputs];
            if (dy[t] != null) {
                System.arraycopy(dy[t], 0, dyt, 0, outputs);
            }
            if (fb != null && t + 1 < steps && t + 1 >= fb.from()) {
                for (int k = 0; k < outputs; k++) {
                    dyt[k] += dInput[t + 1][fb.columns()[k]] * fb.scale(k);
                }
            }
            double[] dAbove = new double[hd];
            double[] hTop = tr.h[layers - 1][t + 1];
            for (int o = 0; o < outputs; o++) {
                double d = dyt[o];
                grad[headB + o] += d;
                for (int j = 0; j < hd; j++) {
                    grad[headW + o * hd + j] += d * hTop[j];
                    dAbove[j] += d * params[headW + o * hd + j];
                }
            }
            for (int l = layers - 1; l >= 0; l--) {
                int ni = inputSize(l);
                double[] g = tr.gates[l][t];
                double[] cPrev = tr.c[l][t];
                double[] cNext = tr.c[l][t + 1];
                for (int j = 0; j < hd; j++) {
                    double dhj = dh[l][j] + dAbove[j];
                    double tc = Math.tanh(cNext[j]);
                    double i = g[j];
                    double f = g[hd + j];
                    double gg = g[2 * hd + j];
                    double o = g[3 * hd + j];
                    double dcj = dc[l][j] + dhj * o * (1 - tc * tc);
                    da[j] = dcj * gg * i * (1 - i);
                    da[hd + j] = dcj * cPrev[j] * f * (1 - f);
                    da[2 * hd + j] = dcj * i * (1 - gg * gg);
                    da[3 * hd + j] = dhj * tc * o * (1 - o);
                    dc[l][j] = dcj * f;
                }
                double[] x = tr.x[l][t];
                double[] hPrev = tr.h[l][t];
                double[] dIn = l == 0 ? dInput[t] : new double[ni];
                java.util.Arrays.fill(dh[l], 0);
                for (int r = 0; r < 4 * hd; r++) {
                    double d = da[r];
                    grad[bIh[l] + r] += d;
                    grad[bHh[l] + r] += d;
                    int wi = wIh[l] + r * ni;
                    for (int k = 0; k < ni; k++) {
                        grad[wi + k] += d * x[k];
                        dIn[k] += d * params[wi + k];
                    }
                    int wh = wHh[l] + r * hd;
                    for (int k = 0; k < hd; k++) {
                        grad[wh + k] += d * hPrev[k];
                        dh[l][k] += d * params[wh + k];
                    }
                }
                dAbove = dIn;
            }
            // A residual closed-loop input also carries the previous input: x_t[c] = x_{t-1}[c] + (scaled y_{t-1}).
            if (fb != null && fb.residual() && t >= fb.from() && t > 0) {
                for (int c : fb.columns()) {
                    dInput[t - 1][c] += dInput[t][c];
                }
            }
        }
        // After step 0, dh and dc hold the loss's gradient with respect to the state the sequence started from.
        if (tr.fromLearnedStart) {
            for (int l = 0; l < layers; l++) {
                for (int j = 0; j < hd; j++) {
                    grad[start + l * hd + j] += dh[l][j];
                    grad[start + (layers + l) * hd + j] += dc[l][j];
                }
            }
        }
    }
}
