package io.lstmforecast.model.formats;

import io.lstmforecast.model.CellKind;
import io.lstmforecast.model.ForecastModel;
import io.lstmforecast.model.ModelFormatException;
import io.lstmforecast.model.NpyArray;
import io.lstmforecast.model.RecurrentNetwork;
import io.lstmforecast.model.StateDicts;
import io.lstmforecast.model.bundle.ModelBundle;
import io.lstmforecast.model.bundle.ModelSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Makes a bundle's model.json for weights brought from elsewhere: the cell, hidden size and layers are read off the
 * recurrent tensors, the head (and an input projection, if any) off the Linear layers beside them, and what the
 * tensors cannot say (feature and target names, scaling, horizon) comes from the user.
 */
public final class ModelImport {
    private ModelImport() {}

    /**
     * What the user says about the model.
     *
     * @param cell    null to read it from the shapes (needed only for cifg, whose 3 gate blocks look like a GRU's)
     * @param horizon 0 to derive it: 1 for a head with one output per target, else outputs / targets (direct)
     */
    public record Request(
            String name,
            String version,
            List<String> features,
            List<String> targets,
            ModelSpec.Normalisation normalisation,
            int horizon,
            boolean residual,
            CellKind cell,
            String description) {}

    /** The spec of {@code tensors}, with its weights in the bundle file {@code weightsFile}; fails naming the mismatch. */
    public static ModelSpec spec(Map<String, NpyArray> tensors, Request r, String weightsFile, String source) {
        RecurrentNetwork net = StateDicts.inferNetwork(tensors, r.cell());
        String rnn = StateDicts.recurrentPrefix(tensors);
        List<String> linears = linearPrefixes(tensors, rnn);
        List<String> heads = linears.stream()
                .filter(p -> tensors.get(p + "weight").dim(1) == net.hiddenSize())
                .toList();
        if (heads.isEmpty()) {
            throw new ModelFormatException(source + " has no Linear head (a '<prefix>weight' of shape (outputs, "
                    + net.hiddenSize()
                    + ") with its '<prefix>bias'); the job forecasts through one, so train the model with"
                    + " an nn.Linear(hidden_size, targets) after the recurrent layers");
        }
        String head = only(heads, source, "Linear head");
        List<String> projections = linears.stream()
                .filter(p -> !p.equals(head)
                        && tensors.get(p + "weight")
                                .hasShape(net.inputSize(), r.features().size()))
                .toList();
        String projection = projections.isEmpty() ? null : only(projections, source, "input projection");
        int features = r.features().size();
        if (projection == null && net.inputSize() != features) {
            throw new ModelFormatException(
                    source + ": the first layer takes " + net.inputSize() + " inputs (weight_ih_l0 "
                            + tensors.get(rnn + "weight_ih_l0").shapeString() + ") but --features names " + features);
        }
        for (String t : r.targets()) {
            if (!r.features().contains(t)) {
                throw new ModelFormatException("target '" + t + "' is not among the features " + r.features()
                        + "; the events" + " carry only the features, so a target must be one of them to be scored");
            }
        }
        int outputs = tensors.get(head + "weight").dim(0);
        int targets = r.targets().size();
        boolean recursive = outputs == targets;
        int horizon = recursive ? Math.max(1, r.horizon()) : outputs / targets;
        if (!recursive && (outputs % targets != 0 || (r.horizon() > 0 && r.horizon() != horizon))) {
            throw new ModelFormatException(source + ": the head '" + head + "weight' has " + outputs
                    + " outputs, which is"
                    + " neither one per target (" + targets + ", a recursive head) nor "
                    + (r.horizon() > 0 ? "--horizon " + r.horizon() + " x " + targets : "a multiple of " + targets)
                    + " targets (a direct head)");
        }
        ModelSpec.Normalisation n = r.normalisation() != null
                ? r.normalisation()
                : new ModelSpec.Normalisation(fill(features, 0), fill(features, 1), fill(targets, 0), fill(targets, 1));
        String description = r.description() != null
                ? r.description()
                : "imported from " + source + ": " + net.kind().id() + ", " + net.numLayers()
                        + " layer(s), hidden size " + net.hiddenSize();
        return new ModelSpec(
                ModelSpec.FORMAT_VERSION,
                r.name(),
                r.version(),
                net.kind().id(),
                net.hiddenSize(),
                net.numLayers(),
                projection == null ? 0 : net.inputSize(),
                r.features(),
                r.targets(),
                n,
                horizon,
                recursive ? "recursive" : "direct",
                new ModelSpec.Prefixes(rnn, projection == null ? "proj." : projection, head),
                description,
                r.residual(),
                null,
                weightsFile,
                null,
                null);
    }

    /**
     * Runs the bundle's model as the job does, one entity for {@code steps} events at the feature means, and returns
     * its last forecast; a value that is not finite fails naming the step.
     */
    public static float[] check(ModelBundle bundle, int steps) {
        ForecastModel model = bundle.model();
        ModelSpec spec = bundle.spec();
        float[][] h = new float[model.numLayers()][model.hiddenSize()];
        float[][] c = model.hasCellState() ? new float[model.numLayers()][model.hiddenSize()] : null;
        float[] forecast = new float[model.horizon() * model.targetCount()];
        for (int s = 0; s < steps; s++) {
            model.step(spec.normalisation().featureMean().clone(), h, c, 1, forecast);
            for (float v : forecast) {
                if (!Float.isFinite(v)) {
                    throw new ModelFormatException("the imported model forecasts " + v + " at step " + (s + 1)
                            + " for an" + " input at the feature means; check its weights and normalisation");
                }
            }
        }
        return forecast;
    }

    /** Prefixes p with a 2-D 'p weight' and a 1-D 'p bias' of as many rows, outside the recurrent module. */
    private static List<String> linearPrefixes(Map<String, NpyArray> tensors, String rnn) {
        List<String> found = new ArrayList<>();
        for (Map.Entry<String, NpyArray> e : tensors.entrySet()) {
            String key = e.getKey();
            if (!key.endsWith("weight")
                    || (!rnn.isEmpty() && key.startsWith(rnn))
                    || e.getValue().rank() != 2) {
                continue;
            }
            String prefix = key.substring(0, key.length() - "weight".length());
            NpyArray bias = tensors.get(prefix + "bias");
            if (bias != null && bias.hasShape(e.getValue().dim(0))) {
                found.add(prefix);
            }
        }
        return found;
    }

    private static String only(List<String> candidates, String source, String what) {
        if (candidates.size() > 1) {
            throw new ModelFormatException(source + " has " + candidates.size() + " modules that could be its " + what
                    + ": " + candidates + "; keep only the model's own tensors in the file");
        }
        return candidates.get(0);
    }

    private static float[] fill(int n, float value) {
        float[] a = new float[n];
        java.util.Arrays.fill(a, value);
        return a;
    }
}
