package io.lstmforecast.train;

import io.lstmforecast.model.CellKind;
import io.lstmforecast.model.ForecastModels;
import io.lstmforecast.model.NpyArray;
import io.lstmforecast.model.bundle.ModelBundle;
import io.lstmforecast.model.bundle.ModelSpec;
import io.lstmforecast.model.formats.PtStateDictWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Writes a trained model as a bundle: PyTorch state_dict names and layouts, float32, with its normalisation. */
public final class BundleExport {
    private BundleExport() {}

    public static ModelBundle toBundle(
            Trainer.Result r,
            String name,
            String version,
            List<String> features,
            List<String> targets,
            int horizon,
            boolean residual,
            String description) {
        return toBundle(r, name, version, features, targets, horizon, residual, description, null);
    }

    /**
     * The bundle of a trained model. A direct head's horizon is the one it was trained for ({@code horizon} must
     * match it); a one-step head runs recursively over {@code horizon} steps. {@code baseline} (persistence,
     * constant-velocity, or null) is what the model was trained to beat; the time features are the training run's.
     */
    public static ModelBundle toBundle(
            Trainer.Result r,
            String name,
            String version,
            List<String> features,
            List<String> targets,
            int horizon,
            boolean residual,
            String description,
            String baseline) {
        TrainConfig c = r.config();
        if (c.directHorizon() > 0 && horizon != c.directHorizon()) {
            throw new IllegalArgumentException(
                    "a direct head trained for " + c.directHorizon() + " steps cannot forecast " + horizon);
        }
        LstmRegressor m = r.model();
        ModelSpec.Prefixes p = ModelSpec.Prefixes.DEFAULT;
        Map<String, NpyArray> w = new LinkedHashMap<>();
        for (int l = 0; l < m.layers; l++) {
            int in = m.inputSize(l);
            w.put(p.rnn() + "weight_ih_l" + l, slice(m.params, m.offsetWeightIh(l), 4 * m.hidden, in));
            w.put(p.rnn() + "weight_hh_l" + l, slice(m.params, m.offsetWeightHh(l), 4 * m.hidden, m.hidden));
            w.put(p.rnn() + "bias_ih_l" + l, slice(m.params, m.offsetBiasIh(l), 4 * m.hidden));
            w.put(p.rnn() + "bias_hh_l" + l, slice(m.params, m.offsetBiasHh(l), 4 * m.hidden));
        }
        w.put(p.head() + "weight", slice(m.params, m.offsetHeadWeight(), m.outputs, m.hidden));
        w.put(p.head() + "bias", slice(m.params, m.offsetHeadBias(), m.outputs));
        if (m.learnedStart()) {
            w.put(p.rnn() + ForecastModels.INITIAL_H, slice(m.params, m.offsetStart(), m.layers, m.hidden));
            w.put(
                    p.rnn() + ForecastModels.INITIAL_C,
                    slice(m.params, m.offsetStart() + m.layers * m.hidden, m.layers, m.hidden));
        }
        Trainer.Normalisation n = r.norm();
        ModelSpec spec = new ModelSpec(
                        ModelSpec.FORMAT_VERSION,
                        name,
                        version,
                        CellKind.LSTM.id(),
                        m.hidden,
                        m.layers,
                        0,
                        features,
                        targets,
                        new ModelSpec.Normalisation(
                                floats(n.featureMean()),
                                floats(n.featureStd()),
                                floats(n.targetMean()),
                                floats(n.targetStd())),
                        horizon,
                        c.directHorizon() > 0 ? "direct" : "recursive",
                        p,
                        description,
                        residual,
                        null)
                .withBaselineAndTimeFeatures(baseline, c.timeFeatures().isEmpty() ? null : c.timeFeatures());
        return new ModelBundle(spec, w);
    }

    /** Writes {@code bundle} to {@code out}: weights.pt as torch.save writes a state_dict if {@code pt}, else weights.npz. */
    public static void write(ModelBundle bundle, Path out, boolean pt) throws IOException {
        if (pt) {
            ModelBundle.write(out, bundle.spec().withWeights("weights.pt"), PtStateDictWriter.write(bundle.weights()));
        } else {
            bundle.writeTo(out);
        }
    }

    private static NpyArray slice(double[] params, int offset, int... shape) {
        float[] v = new float[(int) NpyArray.elementCount(shape)];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) params[offset + i];
        }
        return new NpyArray(shape, v);
    }

    private static float[] floats(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }
}
