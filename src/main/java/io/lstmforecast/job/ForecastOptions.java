package io.lstmforecast.job;

import io.lstmforecast.config.Batching;
import io.lstmforecast.config.EventTime;
import io.lstmforecast.config.Ordering;
import io.lstmforecast.config.Plausibility;
import io.lstmforecast.model.ReadLimits;
import io.lstmforecast.state.ForecastPolicy;
import java.io.Serializable;
import java.time.Duration;

/**
 * What the forecast graph needs besides its sources and sinks: the job's own settings records, not copies of them.
 *
 * @param modelBundleZip      the model to start with, as zip bytes shipped with the job graph; a model swapped in
 *                            later through the control topic replaces it (and is checkpointed)
 * @param eventTime           watermarks, lateness and entity expiry
 * @param batching            ordering and batching of model steps
 * @param policy              re-warming after model swaps, residual alerts and intervals
 * @param maxInlineModelBytes largest bundle accepted inline on the control topic
 * @param modelRoot           the directory a control message's file: URI or path must lie in; null: inline bundles only
 * @param modelLimits         caps on reading a swapped-in bundle
 * @param lastValueKernel     bench only: the model step is replaced by "forecast = last value" (the pipeline's ceiling)
 * @param plausible           the values an event's features may take (event.range, event.max-abs-z)
 */
public record ForecastOptions(
        byte[] modelBundleZip,
        EventTime eventTime,
        Batching batching,
        ForecastPolicy policy,
        int maxInlineModelBytes,
        String modelRoot,
        ReadLimits modelLimits,
        boolean lastValueKernel,
        Plausibility plausible)
        implements Serializable {
    public static final int DEFAULT_MAX_INLINE_MODEL_BYTES = 8 << 20;

    /** Defaults for everything but the model and the time bounds. */
    public static ForecastOptions of(
            byte[] modelBundleZip, Duration allowedLateness, Duration idleTimeout, Duration stateTtl) {
        return new ForecastOptions(
                modelBundleZip,
                new EventTime(allowedLateness, idleTimeout, stateTtl, EventTime.MAX_EVENT_TIME_JUMP.fallback()),
                Batching.DEFAULT,
                ForecastPolicy.DEFAULT,
                DEFAULT_MAX_INLINE_MODEL_BYTES,
                null,
                ReadLimits.DEFAULT,
                false,
                Plausibility.DEFAULT);
    }

    public ForecastOptions withMaxBatchSize(int size) {
        return withBatching(new Batching(batching.ordering(), size, batching.maxBatchDelay()));
    }

    public ForecastOptions withOrdering(Ordering o, Duration batchDelay) {
        return withBatching(new Batching(o, batching.maxBatchSize(), batchDelay));
    }

    public ForecastOptions withBatching(Batching b) {
        return new ForecastOptions(
                modelBundleZip,
                eventTime,
                b,
                policy,
                maxInlineModelBytes,
                modelRoot,
                modelLimits,
                lastValueKernel,
                plausible);
    }

    public ForecastOptions withPolicy(ForecastPolicy p) {
        return new ForecastOptions(
                modelBundleZip,
                eventTime,
                batching,
                p,
                maxInlineModelBytes,
                modelRoot,
                modelLimits,
                lastValueKernel,
                plausible);
    }

    public ForecastOptions withPlausible(Plausibility p) {
        return new ForecastOptions(
                modelBundleZip,
                eventTime,
                batching,
                policy,
                maxInlineModelBytes,
                modelRoot,
                modelLimits,
                lastValueKernel,
                p);
    }

    /** Bench only: the same pipeline with "forecast = last value" instead of the model step. */
    public ForecastOptions withLastValueKernel(boolean on) {
        return new ForecastOptions(
                modelBundleZip,
                eventTime,
                batching,
                policy,
                maxInlineModelBytes,
                modelRoot,
                modelLimits,
                on,
                plausible);
    }
}
