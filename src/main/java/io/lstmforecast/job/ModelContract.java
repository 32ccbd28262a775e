package io.lstmforecast.job;

import io.lstmforecast.config.EventFormat;
import io.lstmforecast.model.Baseline;
import io.lstmforecast.model.TimeFeatures;
import io.lstmforecast.model.bundle.ModelSpec;
import io.lstmforecast.state.ForecastPolicy;
import java.io.Serializable;
import java.util.List;

/**
 * What a job promises the models it serves: its events carry {@code features}, it computes {@code timeFeatures} from
 * each event's time, and it scores skill against {@code baseline} (null: the job names none, so a model's own is
 * used). A model must read exactly these features and time features, and declare this baseline or none; otherwise it
 * would forecast from inputs it never saw, or its skill would be measured against another baseline than it was built
 * for. One check, {@link #mismatch}, holds the job's own model to it at start, and every model sent on the control
 * topic in the validator and again when the forecast operator swaps it in.
 */
public record ModelContract(List<String> features, List<String> timeFeatures, Baseline baseline)
        implements Serializable {
    /** A setting where the job and a model disagree: its key, the job's value and the model's. */
    public record Mismatch(String setting, String job, String model) {}

    public ModelContract {
        features = List.copyOf(features);
        timeFeatures = List.copyOf(timeFeatures);
    }

    /** Job {@code job}'s contract with the model it names: the job's events carry that model's features. */
    static ModelContract of(JobConfig job, ModelSpec model) {
        return new ModelContract(
                model.features(), job.event().timeFeatures(), job.policy().baseline());
    }

    /**
     * The contract a running job holds later models to: the features and time features of its own model (held to the
     * job's settings at start) and the job's {@code baseline}.
     */
    static ModelContract served(ModelSpec jobModel, Baseline baseline) {
        return new ModelContract(jobModel.features(), keys(jobModel.timeFeatureList()), baseline);
    }

    /** The first setting where {@code spec} breaks the contract (features, time features, baseline), or null. */
    public Mismatch mismatch(ModelSpec spec) {
        if (!spec.features().equals(features)) {
            return new Mismatch(
                    EventFormat.FEATURES, features.toString(), spec.features().toString());
        }
        List<String> expected = keys(spec.timeFeatureList());
        if (!expected.equals(keys(TimeFeatures.parseAll(timeFeatures)))) {
            return new Mismatch(EventFormat.TIME_FEATURES, timeFeatures.toString(), expected.toString());
        }
        if (baseline != null && spec.baseline() != null) {
            Baseline declared = Baseline.parse(spec.baseline());
            if (!declared.equals(baseline)) {
                return new Mismatch(ForecastPolicy.BASELINE.key(), baseline.id(), declared.id());
            }
        }
        return null;
    }

    private static List<String> keys(List<TimeFeatures> features) {
        return features.stream().map(TimeFeatures::key).toList();
    }
}
