package io.lstmforecast.model;

import io.lstmforecast.model.bundle.ModelSpec;

/**
 * A loaded model as the job runs it: per event, normalise -> [input projection] -> recurrent layers
 * (one step) -> linear head -> denormalise, then the rest of the horizon.
 *
 * <p>For a recursive horizon the head predicts one step; the prediction is fed back as the next
 * input on a scratch copy of the state, so the stored state only ever sees real observations.
 * Instances hold scratch buffers and are not thread-safe: one per operator instance.
 */
public final class ForecastModel {
    private final ModelSpec spec;
    private final Linear projection;
    private final RecurrentNetwork network;
    private final Linear head;
    private final int[] targetFeature;
    private final int features;
    private final int targets;
    /** Bench only: {@link #step} skips the network (see {@link #lastValueKernel()}). */
    private final boolean lastValueOnly;
    /** The state a fresh entity starts from, layers x hidden flat (layer-major); null: zeros. */
    private final float[] startH;

    private final float[] startC;

    private int capacity;
    private float[] x;
    private float[] projected;
    private float[] y;
    private float[][] scratchH;
    private float[][] scratchC;

    /** With the learnt start state of the bundle's {@code h0} and {@code c0} (null: zeros). */
    ForecastModel(
            ModelSpec spec,
            Linear projection,
            RecurrentNetwork network,
            Linear head,
            float[] startH,
            float[] startC,
            boolean lastValueOnly) {
        this.lastValueOnly = lastValueOnly;
        this.startH = startH;
        this.startC = startC;
        this.spec = spec;
        this.projection = projection;
        this.network = network;
        this.head = head;
        this.features = spec.inputSize();
        this.targets = spec.targets().size();
        this.targetFeature = new int[targets];
        for (int t = 0; t < targets; t++) {
            targetFeature[t] = spec.features().indexOf(spec.targets().get(t));
        }
    }

    public ModelSpec spec() {
        return spec;
    }

    /**
     * This model's shapes with the step replaced by "every horizon step = the target's last value", leaving h and c
     * as they are. The bench runs the whole pipeline with it to measure what everything but the model costs.
     */
    public ForecastModel lastValueKernel() {
        return new ForecastModel(spec, projection, network, head, startH, startC, true);
    }

    /**
     * The h a fresh entity starts from, layers x hidden flat (layer-major): the bundle's learnt {@code h0}, or zeros (a
     * PyTorch nn.LSTM starts from zeros when given no state).
     */
    public float[] startH() {
        return startH == null ? new float[numLayers() * hiddenSize()] : startH.clone();
    }

    /** Likewise c ({@code c0}); empty for a model without a cell state. */
    public float[] startC() {
        if (!hasCellState()) {
            return new float[0];
        }
        return startC == null ? new float[numLayers() * hiddenSize()] : startC.clone();
    }

    public RecurrentNetwork network() {
        return network;
    }

    /** Width of an input row: the event's features, then the time features. */
    public int featureCount() {
        return features;
    }

    public int targetCount() {
        return targets;
    }

    public int horizon() {
        return spec.horizon();
    }

    public int numLayers() {
        return network.numLayers();
    }

    public int hiddenSize() {
        return network.hiddenSize();
    }

    public boolean hasCellState() {
        return network.kind().hasCellState();
    }

    /**
     * Advances {@code batch} entities by one observed event and forecasts the next horizon steps.
     *
     * @param raw      batch x {@link #featureCount()}: the event's features in their units, then its time features
     * @param h        per layer, batch x hidden; updated in place (this is the entity's new state)
     * @param c        likewise, or null for GRU
     * @param forecast batch x horizon x targets, written in the units of the events
     */
    public void step(float[] raw, float[][] h, float[][] c, int batch, float[] forecast) {
        if (lastValueOnly) {
            lastValues(raw, batch, forecast);
            return;
        }
        ensureCapacity(batch);
        normalise(raw, batch);
        float[] top = network.step(inputOf(batch), h, c, batch);
        head.apply(top, y, batch);
        int horizon = spec.horizon();
        if (!spec.recursive()) {
            for (int b = 0; b < batch; b++) {
                for (int k = 0; k < horizon; k++) {
                    for (int t = 0; t < targets; t++) {
                        int i = (b * horizon + k) * targets + t;
                        forecast[i] = base(raw, b, t) + denormalise(y[i], t);
                    }
                }
            }
            return;
        }
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < targets; t++) {
                forecast[b * horizon * targets + t] = base(raw, b, t) + denormalise(y[b * targets + t], t);
            }
        }
        if (horizon == 1) {
            return;
        }
        for (int l = 0; l < h.length; l++) {
            System.arraycopy(h[l], 0, scratchH[l], 0, batch * network.hiddenSize());
            if (c != null) {
                System.arraycopy(c[l], 0, scratchC[l], 0, batch * network.hiddenSize());
            }
        }
        for (int k = 1; k < horizon; k++) {
            // The next input is the last one with each target replaced by its forecast (already normalised as a
            // feature).
            for (int b = 0; b < batch; b++) {
                for (int t = 0; t < targets; t++) {
                    int f = targetFeature[t];
                    x[b * features + f] = normaliseFeature(forecast[(b * horizon + k - 1) * targets + t], f);
                }
            }
            float[] scratchTop = network.step(inputOf(batch), scratchH, c == null ? null : scratchC, batch);
            head.apply(scratchTop, y, batch);
            for (int b = 0; b < batch; b++) {
                for (int t = 0; t < targets; t++) {
                    int previous = (b * horizon + k - 1) * targets + t;
                    float base = spec.residual() ? forecast[previous] : 0f;
                    forecast[previous + targets] = base + denormalise(y[b * targets + t], t);
                }
            }
        }
    }

    private void lastValues(float[] raw, int batch, float[] forecast) {
        int horizon = spec.horizon();
        for (int b = 0; b < batch; b++) {
            for (int k = 0; k < horizon; k++) {
                for (int t = 0; t < targets; t++) {
                    forecast[(b * horizon + k) * targets + t] = raw[b * features + targetFeature[t]];
                }
            }
        }
    }

    /** What a head output adds to: the target's last actual value for a residual head, else zero. */
    private float base(float[] raw, int b, int t) {
        return spec.residual() ? raw[b * features + targetFeature[t]] : 0f;
    }

    private float[] inputOf(int batch) {
        if (projection == null) {
            return x;
        }
        projection.apply(x, projected, batch);
        return projected;
    }

    private void normalise(float[] raw, int batch) {
        for (int b = 0; b < batch; b++) {
            for (int f = 0; f < features; f++) {
                x[b * features + f] = normaliseFeature(raw[b * features + f], f);
            }
        }
    }

    private float normaliseFeature(float value, int f) {
        ModelSpec.Normalisation n = spec.normalisation();
        return (value - n.featureMean()[f]) / n.featureStd()[f];
    }

    private float denormalise(float value, int t) {
        ModelSpec.Normalisation n = spec.normalisation();
        return value * n.targetStd()[t] + n.targetMean()[t];
    }

    private void ensureCapacity(int batch) {
        if (batch <= capacity) {
            return;
        }
        capacity = Math.max(batch, capacity * 2);
        int hidden = network.hiddenSize();
        x = new float[capacity * features];
        projected = projection == null ? null : new float[capacity * projection.outputSize()];
        y = new float[capacity * head.outputSize()];
        scratchH = new float[network.numLayers()][capacity * hidden];
        scratchC = new float[network.numLayers()][capacity * hidden];
    }
}
