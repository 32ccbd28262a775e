package io.lstmforecast.state;

import io.lstmforecast.config.Combine;
import io.lstmforecast.model.Baseline;
import io.lstmforecast.model.ForecastModel;
import io.lstmforecast.model.bundle.ModelSpec;

/**
 * What a forecaster's stages are built for: the model, the shape of its state and forecasts, and the policy.
 *
 * @param model            the model that steps the entities
 * @param modelId          its name@version, stored with each state
 * @param features         width of one input row (the event's features, then the calendar features)
 * @param targets          values forecast per step
 * @param horizon          steps per forecast
 * @param stateSize        layers x hidden size: the length of h (and of c when the model has a cell state)
 * @param cellState        whether the model keeps a cell state (LSTM) beside h
 * @param baseline         the naive forecast the model is measured against ({@link Baseline#NONE}: none)
 * @param headCorrects     whether the model's head predicts corrections to the baseline's forecast
 * @param policy           the job's alerts, intervals and re-warm settings
 * @param combine          what is served: the combination, the model or the baseline ({@link Combine#MODEL} when the
 *                         job has no baseline to combine with)
 * @param servesCombination whether a stage serves a combination of the model's and the baseline's forecasts, so the
 *                         ring of pending forecasts keeps the weight of each served one
 */
public record Setup(
        ForecastModel model,
        String modelId,
        int features,
        int targets,
        int horizon,
        int stateSize,
        boolean cellState,
        Baseline baseline,
        boolean headCorrects,
        ForecastPolicy policy,
        Combine combine,
        boolean servesCombination) {
    static Setup of(ForecastModel model, ForecastPolicy policy, boolean aStageServes) {
        ModelSpec spec = model.spec();
        Baseline baseline = Baseline.effective(policy.baseline(), spec.baseline());
        // A direct residual head trained against a declared baseline other than persistence predicts the correction to
        // that baseline's forecast at each step (the job's baseline is the model's: the contract check refuses others).
        boolean headCorrects = spec.residual()
                && !spec.recursive()
                && spec.baseline() != null
                && !baseline.isNone()
                && baseline.kind() != Baseline.Kind.PERSISTENCE
                && baseline.equals(Baseline.parse(spec.baseline()));
        Combine combine = baseline.isNone() ? Combine.MODEL : policy.combine();
        return new Setup(
                model,
                spec.name() + "@" + spec.version(),
                model.featureCount(),
                spec.targets().size(),
                model.horizon(),
                model.numLayers() * model.hiddenSize(),
                model.hasCellState(),
                baseline,
                headCorrects,
                policy,
                combine,
                aStageServes && combine != Combine.MODEL);
    }
}
