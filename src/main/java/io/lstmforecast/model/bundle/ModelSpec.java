package io.lstmforecast.model.bundle;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.lstmforecast.model.TimeFeatures;
import java.util.List;

/**
 * The contents of {@code model.json}: what the model is, which tensors it has and how its inputs
 * and outputs are scaled. Sizes here are the contract the weights are checked against.
 *
 * @param formatVersion   bundle format, 1
 * @param cell            lstm, gru, peephole or cifg
 * @param projectionSize  0 for none; else an nn.Linear from the features to this size feeds the first layer
 * @param horizon         steps ahead forecast per event
 * @param horizonMode     recursive (head predicts one step, fed back) or direct (head predicts all steps)
 * @param prefixes        module prefixes of the tensors in weights.npz
 * @param residual        the head predicts each target's change from its last value rather than the value
 *                        itself (the normalisation's target mean and std then describe the changes)
 * @param stateCompatibleWith versions (or name@version ids) of models whose per-entity state this model
 *                        continues as it is after a hot swap; the shapes must also agree
 * @param weights         the weights file in the bundle (null: weights.npz): a state_dict saved with torch.save
 *                        or numpy.savez, or an ONNX export; its format is read from its content
 * @param baseline        the baseline the model was trained to beat (persistence, constant-velocity, seasonal:PERIOD or
 *                        none; null: not declared); a job must use the same one
 * @param timeFeatures    calendar inputs the model reads after the event's features (see {@link TimeFeatures}); null
 *                        or empty: none. A job must compute the same ones (event.time-features)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = false)
public record ModelSpec(
        @JsonProperty("format_version") int formatVersion,
        @JsonProperty("name") String name,
        @JsonProperty("version") String version,
        @JsonProperty("cell") String cell,
        @JsonProperty("hidden_size") int hiddenSize,
        @JsonProperty("num_layers") int numLayers,
        @JsonProperty("projection_size") int projectionSize,
        @JsonProperty("features") List<String> features,
        @JsonProperty("targets") List<String> targets,
        @JsonProperty("normalisation") Normalisation normalisation,
        @JsonProperty("horizon") int horizon,
        @JsonProperty("horizon_mode") String horizonMode,
        @JsonProperty("prefixes") Prefixes prefixes,
        @JsonProperty("description") String description,
        @JsonProperty("residual") boolean residual,
        @JsonProperty("state_compatible_with") List<String> stateCompatibleWith,
        @JsonProperty("weights") String weights,
        @JsonProperty("baseline") String baseline,
        @JsonProperty("time_features") List<String> timeFeatures) {

    public static final int FORMAT_VERSION = 1;

    /** A spec whose weights are in the bundle's default weights.npz. */
    public ModelSpec(
            int formatVersion,
            String name,
            String version,
            String cell,
            int hiddenSize,
            int numLayers,
            int projectionSize,
            List<String> features,
            List<String> targets,
            Normalisation normalisation,
            int horizon,
            String horizonMode,
            Prefixes prefixes,
            String description,
            boolean residual,
            List<String> stateCompatibleWith) {
        this(
                formatVersion,
                name,
                version,
                cell,
                hiddenSize,
                numLayers,
                projectionSize,
                features,
                targets,
                normalisation,
                horizon,
                horizonMode,
                prefixes,
                description,
                residual,
                stateCompatibleWith,
                null,
                null,
                null);
    }

    /** Module prefixes of the state_dict names, e.g. {@code rnn.weight_ih_l0}, {@code head.weight}. */
    public record Prefixes(
            @JsonProperty("rnn") String rnn,
            @JsonProperty("projection") String projection,
            @JsonProperty("head") String head) {
        public static final Prefixes DEFAULT = new Prefixes("rnn.", "proj.", "head.");
    }

    /**
     * Per-feature and per-target affine scaling: the network sees (x - mean) / std and its head's
     * outputs are mapped back with y * std + mean.
     */
    public record Normalisation(
            @JsonProperty("feature_mean") float[] featureMean,
            @JsonProperty("feature_std") float[] featureStd,
            @JsonProperty("target_mean") float[] targetMean,
            @JsonProperty("target_std") float[] targetStd) {}

    /** The same model under another version that declares which earlier versions' state it continues. */
    public ModelSpec withVersion(String newVersion, List<String> compatibleWith) {
        return new ModelSpec(
                formatVersion,
                name,
                newVersion,
                cell,
                hiddenSize,
                numLayers,
                projectionSize,
                features,
                targets,
                normalisation,
                horizon,
                horizonMode,
                prefixes,
                description,
                residual,
                compatibleWith,
                weights,
                baseline,
                timeFeatures);
    }

    /** The same model forecasting {@code steps} ahead; only a recursive head can change its horizon. */
    public ModelSpec withHorizon(int steps) {
        return new ModelSpec(
                formatVersion,
                name,
                version,
                cell,
                hiddenSize,
                numLayers,
                projectionSize,
                features,
                targets,
                normalisation,
                steps,
                horizonMode,
                prefixes,
                description,
                residual,
                stateCompatibleWith,
                weights,
                baseline,
                timeFeatures);
    }

    /** The same model with its weights in the file {@code file} of the bundle (null: weights.npz). */
    public ModelSpec withWeights(String file) {
        return new ModelSpec(
                formatVersion,
                name,
                version,
                cell,
                hiddenSize,
                numLayers,
                projectionSize,
                features,
                targets,
                normalisation,
                horizon,
                horizonMode,
                prefixes,
                description,
                residual,
                stateCompatibleWith,
                file,
                baseline,
                timeFeatures);
    }

    /** The same model declaring the baseline it was trained to beat and the time features it reads. */
    public ModelSpec withBaselineAndTimeFeatures(String newBaseline, List<String> newTimeFeatures) {
        return new ModelSpec(
                formatVersion,
                name,
                version,
                cell,
                hiddenSize,
                numLayers,
                projectionSize,
                features,
                targets,
                normalisation,
                horizon,
                horizonMode,
                prefixes,
                description,
                residual,
                stateCompatibleWith,
                weights,
                newBaseline,
                newTimeFeatures);
    }

    /** The time features the model reads, parsed; empty for none. */
    public List<TimeFeatures> timeFeatureList() {
        return TimeFeatures.parseAll(timeFeatures);
    }

    /** Width of the model's input row: the event's features, then sin and cos of each time feature. */
    public int inputSize() {
        return features.size() + TimeFeatures.width(timeFeatureList());
    }

    /** The bundle's weights file. */
    public String weightsFile() {
        return weights == null ? "weights.npz" : weights;
    }

    public Prefixes prefixesOrDefault() {
        return prefixes == null ? Prefixes.DEFAULT : prefixes;
    }

    public boolean recursive() {
        return horizonMode == null || horizonMode.equals("recursive");
    }

    /** Outputs of the head: one step of every target (recursive) or all horizon steps (direct). */
    public int headOutputs() {
        return targets.size() * (recursive() ? 1 : horizon);
    }

    /** Input width of the first recurrent layer. */
    public int recurrentInputSize() {
        return projectionSize > 0 ? projectionSize : inputSize();
    }
}
