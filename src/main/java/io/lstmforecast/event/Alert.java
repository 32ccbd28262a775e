package io.lstmforecast.event;

/**
 * A forecast residual far outside an entity's recent error distribution: the stream stopped
 * behaving like its forecast.
 *
 * @param error      actual - forecast (the one-step forecast made at the previous event)
 * @param errorMean  rolling mean of the entity's error before this one
 * @param errorStd   rolling standard deviation of the error before this one
 * @param score      |error - errorMean| / errorStd, the number of standard deviations
 * @param likelihood the anomaly likelihood of the entity's recent standardised errors (NaN while it is learning)
 */
public record Alert(
        String entityId,
        long eventTime,
        String modelName,
        String modelVersion,
        String target,
        float actual,
        float forecast,
        float error,
        float errorMean,
        float errorStd,
        float score,
        double likelihood)
        implements java.io.Serializable {}
