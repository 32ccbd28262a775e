package io.lstmforecast.model;

import io.lstmforecast.model.bundle.ModelSpec;
import java.util.Map;

/** Checks a bundle's tensors against its spec, and builds the {@link ForecastModel} it describes. */
public final class ForecastModels {
    /**
     * Optional tensors beside the recurrent ones, shape (layers, hidden): the state a fresh entity starts from, learnt
     * in training (PyTorch's nn.LSTM has none: absent, an entity starts from zeros). c0 only for a cell with a c.
     */
    public static final String INITIAL_H = "h0";

    public static final String INITIAL_C = "c0";

    private ForecastModels() {}

    /** Throws {@link ModelFormatException} naming the first tensor that is missing, misshapen or not finite. */
    public static void checkTensors(ModelSpec spec, Map<String, NpyArray> weights) {
        ModelSpec.Prefixes p = spec.prefixesOrDefault();
        CellKind kind = CellKind.parse(spec.cell());
        String why = whyOf(spec);
        int in = spec.recurrentInputSize();
        for (int l = 0; l < spec.numLayers(); l++) {
            for (Map.Entry<String, int[]> e : kind.layerTensors(l, l == 0 ? in : spec.hiddenSize(), spec.hiddenSize())
                    .entrySet()) {
                Tensors.require(weights, p.rnn(), e.getKey(), e.getValue(), why);
            }
        }
        if (spec.projectionSize() > 0) {
            requireLinear(weights, p.projection(), spec.inputSize(), spec.projectionSize(), why);
        }
        requireLinear(weights, p.head(), spec.hiddenSize(), spec.headOutputs(), why);
        int[] state = {spec.numLayers(), spec.hiddenSize()};
        if (weights.containsKey(p.rnn() + INITIAL_H)) {
            Tensors.require(weights, p.rnn(), INITIAL_H, state, why);
        }
        if (weights.containsKey(p.rnn() + INITIAL_C)) {
            if (!kind.hasCellState() || !weights.containsKey(p.rnn() + INITIAL_H)) {
                throw new ModelFormatException("tensor '" + p.rnn() + INITIAL_C + "' needs a cell with a cell state"
                        + " and '" + p.rnn() + INITIAL_H + "' beside it (" + why + ")");
            }
            Tensors.require(weights, p.rnn(), INITIAL_C, state, why);
        }
    }

    private static void requireLinear(Map<String, NpyArray> w, String prefix, int in, int out, String why) {
        Tensors.require(w, prefix, "weight", new int[] {out, in}, why);
        Tensors.require(w, prefix, "bias", new int[] {out}, why);
    }

    /** Builds the model; the tensors must have passed {@link #checkTensors}. */
    public static ForecastModel build(ModelSpec spec, Map<String, NpyArray> weights) {
        checkTensors(spec, weights);
        ModelSpec.Prefixes p = spec.prefixesOrDefault();
        String why = whyOf(spec);
        Linear projection = spec.projectionSize() > 0
                ? Linear.fromStateDict(weights, p.projection(), spec.inputSize(), spec.projectionSize(), why)
                : null;
        RecurrentNetwork network = RecurrentNetwork.fromStateDict(
                weights,
                p.rnn(),
                CellKind.parse(spec.cell()),
                spec.recurrentInputSize(),
                spec.hiddenSize(),
                spec.numLayers(),
                why);
        Linear head = Linear.fromStateDict(weights, p.head(), spec.hiddenSize(), spec.headOutputs(), why);
        return new ForecastModel(
                spec,
                projection,
                network,
                head,
                start(weights, p.rnn() + INITIAL_H),
                start(weights, p.rnn() + INITIAL_C),
                false);
    }

    /** A learnt start state, flat (layer-major, as (layers, hidden) is laid out), or null when the bundle has none. */
    private static float[] start(Map<String, NpyArray> weights, String name) {
        NpyArray a = weights.get(name);
        return a == null ? null : a.data().clone();
    }

    private static String whyOf(ModelSpec spec) {
        return "model.json: cell " + spec.cell() + ", " + spec.features().size() + " feature(s), "
                + spec.timeFeatureList().size() + " time feature(s), projection_size "
                + spec.projectionSize() + ", hidden_size " + spec.hiddenSize() + ", num_layers " + spec.numLayers()
                + ", " + spec.headOutputs() + " head output(s)";
    }
}
