package io.lstmforecast.event;

import java.util.List;

/**
 * The job's output for one applied event.
 *
 * @param forecast       horizon x targets, row-major: forecast[k * targets.size() + t] is target t, k+1 steps ahead
 * @param actual         this event's values of the targets
 * @param previousError  actual - (the one-step forecast made at the previous event), per target; null at the first step
 * @param mae            rolling mean absolute error of the one-step forecasts, per target; null before any error
 * @param rmse           rolling root mean squared error, per target; null before any error
 * @param lower          lower bounds of the prediction intervals, in the forecast's layout; null when intervals are off
 *                       or still learning (until every horizon step has been scored once)
 * @param upper          upper bounds, likewise
 * @param baseline       the baseline's name (e.g. persistence, seasonal:24); null when the job has none
 * @param baselineForecast the baseline's forecast, in the forecast's layout; null when the job has no baseline
 * @param baselineMae    the baseline's rolling MAE at step 1 and step H, [j * targets + t] (j = 0: step 1, 1: step H),
 *                       NaN for a step not scored yet; null before any score or without a baseline
 * @param skill          1 - MAE(model) / MAE(baseline) at step 1 and step H, same layout and nulls
 * @param modelForecast  the model's own forecast, in the forecast's layout, when what is served combines it with the
 *                       baseline's; null when the model's forecast is what is served (combine: model, or no baseline)
 * @param weight         the model's weight in the served forecast at each horizon step, [k - 1] (length horizon):
 *                       forecast = weight * modelForecast + (1 - weight) * baselineForecast; null likewise
 */
public record Forecast(
        String entityId,
        long eventTime,
        String modelName,
        String modelVersion,
        long step,
        List<String> targets,
        int horizon,
        float[] actual,
        float[] forecast,
        float[] previousError,
        float[] mae,
        float[] rmse,
        float[] lower,
        float[] upper,
        String baseline,
        float[] baselineForecast,
        float[] baselineMae,
        float[] skill,
        float[] modelForecast,
        float[] weight)
        implements java.io.Serializable {}
