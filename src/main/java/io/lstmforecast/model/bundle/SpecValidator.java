package io.lstmforecast.model.bundle;

import io.lstmforecast.model.Baseline;
import io.lstmforecast.model.CellKind;
import io.lstmforecast.model.ModelFormatException;
import java.util.HashSet;
import java.util.List;

/** Checks a {@link ModelSpec} for consistency; each failure is one sentence naming the field. */
final class SpecValidator {
    /**
     * Caps on the sizes a spec may declare, so that a hostile or mistyped model.json cannot make the job allocate
     * without bound (scratch buffers are hidden x batch per layer, horizon x targets per entity).
     */
    static final int MAX_HIDDEN = 8192;

    static final int MAX_LAYERS = 32;
    static final int MAX_NAMES = 4096;
    static final int MAX_HORIZON = 10_000;
    static final int MAX_HORIZON_VALUES = 100_000;
    static final int MAX_TEXT = 256;

    private SpecValidator() {}

    static void validate(ModelSpec s, String source) {
        String where = source + "/" + ModelBundle.SPEC_FILE;
        require(
                s.formatVersion() == ModelSpec.FORMAT_VERSION,
                where,
                "format_version is " + s.formatVersion() + " but this release reads " + ModelSpec.FORMAT_VERSION);
        require(s.name() != null && !s.name().isBlank(), where, "name is missing");
        require(s.version() != null && !s.version().isBlank(), where, "version is missing");
        require(
                s.weights() == null || s.weights().matches("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}"),
                where,
                "weights must be" + " the name of a file in the bundle such as model.pt, without a directory, not '"
                        + s.weights() + "'");
        require(
                s.name().length() <= MAX_TEXT && s.version().length() <= MAX_TEXT,
                where,
                "name and version must be at most " + MAX_TEXT + " characters");
        require(s.cell() != null, where, "cell is missing (lstm, gru, peephole or cifg)");
        try {
            CellKind.parse(s.cell());
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(where + ": " + e.getMessage());
        }
        require(
                s.hiddenSize() > 0 && s.hiddenSize() <= MAX_HIDDEN,
                where,
                "hidden_size must be 1 to " + MAX_HIDDEN + ", not " + s.hiddenSize());
        require(
                s.numLayers() > 0 && s.numLayers() <= MAX_LAYERS,
                where,
                "num_layers must be 1 to " + MAX_LAYERS + ", not " + s.numLayers());
        require(
                s.projectionSize() >= 0 && s.projectionSize() <= MAX_HIDDEN,
                where,
                "projection_size must be 0 (none) to " + MAX_HIDDEN + ", not " + s.projectionSize());
        require(
                s.horizon() > 0 && s.horizon() <= MAX_HORIZON,
                where,
                "horizon must be 1 to " + MAX_HORIZON + ", not " + s.horizon());
        require(
                s.horizonMode() == null || List.of("recursive", "direct").contains(s.horizonMode()),
                where,
                "horizon_mode must be recursive or direct, not '" + s.horizonMode() + "'");
        requireNames(s.features(), "features", where);
        requireNames(s.targets(), "targets", where);
        require(
                (long) s.horizon() * s.targets().size() <= MAX_HORIZON_VALUES,
                where,
                "horizon x targets must be at most " + MAX_HORIZON_VALUES + ", not "
                        + (long) s.horizon() * s.targets().size());
        if (s.residual()) {
            for (String t : s.targets()) {
                require(
                        s.features().contains(t),
                        where,
                        "target '" + t + "' is not a feature, so a residual head has no"
                                + " last value to add its change to; add it to features or set residual false");
            }
        }
        try {
            s.timeFeatureList();
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(where + ": time_features: " + e.getMessage());
        }
        if (s.baseline() != null) {
            try {
                Baseline.parse(s.baseline());
            } catch (IllegalArgumentException e) {
                throw new ModelFormatException(where + ": " + e.getMessage());
            }
        }
        require(
                s.timeFeatureList().stream().distinct().count()
                        == s.timeFeatureList().size(),
                where,
                "time_features has a duplicate name: " + s.timeFeatures());
        // A fed-back step would need the time of a future event, which the job cannot know.
        require(
                !s.recursive() || s.horizon() == 1 || s.timeFeatureList().isEmpty(),
                where,
                "a recursive horizon of "
                        + s.horizon() + " cannot read time_features (the times of the fed-back steps are unknown); use"
                        + " horizon_mode direct");
        if (s.recursive() && s.horizon() > 1) {
            for (String t : s.targets()) {
                require(
                        s.features().contains(t),
                        where,
                        "target '" + t + "' is not a feature, so a recursive horizon of " + s.horizon()
                                + " cannot feed it back; add it to features or use horizon_mode direct");
            }
        }
        ModelSpec.Normalisation n = s.normalisation();
        require(n != null, where, "normalisation is missing (use mean 0 and std 1 for none)");
        // The normalisation covers the whole input row: the event's features, then the time features (mean 0, std 1).
        requireScale(n.featureMean(), n.featureStd(), s.inputSize(), "feature", where);
        requireScale(n.targetMean(), n.targetStd(), s.targets().size(), "target", where);
    }

    private static void requireNames(List<String> names, String field, String where) {
        require(
                names != null && !names.isEmpty() && names.size() <= MAX_NAMES,
                where,
                field + " must list 1 to " + MAX_NAMES + " names");
        for (String n : names) {
            require(
                    n != null && !n.isBlank() && n.length() <= MAX_TEXT,
                    where,
                    field + " has a name that is null, blank or" + " longer than " + MAX_TEXT + " characters");
        }
        require(new HashSet<>(names).size() == names.size(), where, field + " has a duplicate name: " + names);
    }

    private static void requireScale(float[] mean, float[] std, int n, String what, String where) {
        require(
                mean != null && mean.length == n,
                where,
                "normalisation." + what + "_mean must have " + n + " value(s)");
        require(std != null && std.length == n, where, "normalisation." + what + "_std must have " + n + " value(s)");
        for (int i = 0; i < n; i++) {
            require(Float.isFinite(mean[i]), where, "normalisation." + what + "_mean[" + i + "] is not finite");
            require(
                    Float.isFinite(std[i]) && std[i] > 0,
                    where,
                    "normalisation." + what + "_std[" + i + "] must be positive and finite, not " + std[i]);
        }
    }

    private static void require(boolean ok, String where, String problem) {
        if (!ok) {
            throw new ModelFormatException(where + ": " + problem);
        }
    }
}
