package io.lstmforecast.model.bundle;

import io.lstmforecast.model.CellKind;
import io.lstmforecast.model.ModelFormatException;
import java.util.HashSet;
import java.util.List;

/** Checks a {@link ModelSpec} for consistency; each failure is one sentence naming the field. */
final class SpecValidator {
    private SpecValidator() {
    }

    static void validate(ModelSpec s, String source) {
        String where = source + "/" + ModelBundle.SPEC_FILE;
        require(s.formatVersion() == ModelSpec.FORMAT_VERSION, where, "format_version is " + s.formatVersion()
                + " but this release reads " + ModelSpec.FORMAT_VERSION);
        require(s.name() != null && !s.name().isBlank(), where, "name is missing");
        require(s.version() != null && !s.version().isBlank(), where, "version is missing");
        require(s.cell() != null, where, "cell is missing (lstm, gru, peephole or cifg)");
        try {
            CellKind.parse(s.cell());
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(where + ": " + e.getMessage());
        }
        require(s.hiddenSize() > 0, where, "hidden_size must be positive, not " + s.hiddenSize());
        require(s.numLayers() > 0, where, "num_layers must be positive, not " + s.numLayers());
        require(s.projectionSize() >= 0, where, "projection_size must be 0 (none) or positive");
        require(s.horizon() > 0, where, "horizon must be positive, not " + s.horizon());
        require(s.horizonMode() == null || List.of("recursive", "direct").contains(s.horizonMode()), where,
                "horizon_mode must be recursive or direct, not '" + s.horizonMode() + "'");
        requireNames(s.features(), "features", where);
        requireNames(s.targets(), "targets", where);
        if (s.residual()) {
            for (String t : s.targets()) {
                require(s.features().contains(t), where, "target '" + t + "' is not a feature, so a residual head has no"
                        + " last value to add its change to; add it to features or set residual false");
            }
        }
        if (s.recursive() && s.horizon() > 1) {
            for (String t : s.targets()) {
                require(s.features().contains(t), where, "target '" + t + "' is not a feature, so a recursive horizon of "
                        + s.horizon() + " cannot feed it back; add it to features or use horizon_mode direct");
            }
        }
        ModelSpec.Normalisation n = s.normalisation();
        require(n != null, where, "normalisation is missing (use mean 0 and std 1 for none)");
        requireScale(n.featureMean(), n.featureStd(), s.features().size(), "feature", where);
        requireScale(n.targetMean(), n.targetStd(), s.targets().size(), "target", where);
    }

    private static void requireNames(List<String> names, String field, String where) {
        require(names != null && !names.isEmpty(), where, field + " must list at least one name");
        require(new HashSet<>(names).size() == names.size(), where, field + " has a duplicate name: " + names);
    }

    private static void requireScale(float[] mean, float[] std, int n, String what, String where) {
        require(mean != null && mean.length == n, where, "normalisation." + what + "_mean must have " + n + " value(s)");
        require(std != null && std.length == n, where, "normalisation." + what + "_std must have " + n + " value(s)");
        for (int i = 0; i < n; i++) {
            require(Float.isFinite(mean[i]), where, "normalisation." + what + "_mean[" + i + "] is not finite");
            require(Float.isFinite(std[i]) && std[i] > 0, where, "normalisation." + what + "_std[" + i
                    + "] must be positive and finite, not " + std[i]);
        }
    }

    private static void require(boolean ok, String where, String problem) {
        if (!ok) {
            throw new ModelFormatException(where + ": " + problem);
        }
    }
}
