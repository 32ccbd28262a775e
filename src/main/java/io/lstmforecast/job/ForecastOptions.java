package io.lstmforecast.job;

import io.lstmforecast.model.ReadLimits;
import io.lstmforecast.state.ForecastPolicy;
import java.io.Serializable;
import java.time.Duration;

/**
 * What the forecast graph needs besides its sources and sinks.
 *
 * @param modelBundleZip  the model to start with, as zip bytes shipped with the job graph; a model
 *                        swapped in later through the control topic replaces it (and is checkpointed)
 * @param allowedLateness bounded out-of-orderness of the watermarks; an event at or behind the
 *                        watermark when it arrives is dead-lettered as late
 * @param idleTimeout     a source split without events for this long stops holding the watermark back
 * @param stateTtl        an entity whose last event is this much event time behind the watermark is
 *                        forgotten and counted as expired; zero keeps entities forever
 * @param maxBatchSize    most entities stepped together in one GEMM; 1 steps every event alone
 * @param policy          re-warming after model swaps and residual alerts
 * @param maxInlineModelBytes largest bundle accepted inline on the control topic
 * @param maxEventTimeJump largest step one event may move its partition's watermark by (see EventTimeWatermarks)
 * @param modelRoot       the directory a control message's file: URI or path must lie in; null: inline bundles only
 * @param modelLimits     caps on reading a swapped-in bundle
 * @param ordering        when an event is applied: on arrival, or once the watermark passes it (see {@link Ordering})
 * @param maxBatchDelay   arrival ordering: longest an event waits (processing time) for its batch to fill; zero steps
 *                        each event as it arrives
 * @param lastValueKernel bench only: the model step is replaced by "forecast = last value" (the pipeline's ceiling)
 */
public record ForecastOptions(byte[] modelBundleZip, Duration allowedLateness, Duration idleTimeout, Duration stateTtl,
                              int maxBatchSize, ForecastPolicy policy, int maxInlineModelBytes, Duration maxEventTimeJump,
                              String modelRoot, ReadLimits modelLimits, Ordering ordering, Duration maxBatchDelay,
                              boolean lastValueKernel) implements Serializable {
    public static final int DEFAULT_MAX_BATCH_SIZE = 256;
    public static final int DEFAULT_MAX_INLINE_MODEL_BYTES = 8 << 20;
    public static final Duration DEFAULT_MAX_EVENT_TIME_JUMP = Duration.ofHours(1);
    public static final Ordering DEFAULT_ORDERING = Ordering.ARRIVAL;
    /** Long enough to gather the events of one network buffer, short against a forecast's useful life. */
    public static final Duration DEFAULT_MAX_BATCH_DELAY = Duration.ofMillis(5);

    public ForecastOptions {
        if (maxBatchSize < 1) {
            throw new IllegalArgumentException("max batch size must be at least 1, not " + maxBatchSize);
        }
        if (maxBatchDelay.isNegative()) {
            throw new IllegalArgumentException("max batch delay must not be negative, not " + maxBatchDelay);
        }
    }

    /** Defaults for everything but the model and the time bounds. */
    public static ForecastOptions of(byte[] modelBundleZip, Duration allowedLateness, Duration idleTimeout, Duration stateTtl) {
        return new ForecastOptions(modelBundleZip, allowedLateness, idleTimeout, stateTtl, DEFAULT_MAX_BATCH_SIZE,
                ForecastPolicy.DEFAULT, DEFAULT_MAX_INLINE_MODEL_BYTES, DEFAULT_MAX_EVENT_TIME_JUMP, null, ReadLimits.DEFAULT,
                DEFAULT_ORDERING, DEFAULT_MAX_BATCH_DELAY, false);
    }

    public ForecastOptions withMaxBatchSize(int size) {
        return new ForecastOptions(modelBundleZip, allowedLateness, idleTimeout, stateTtl, size, policy, maxInlineModelBytes,
                maxEventTimeJump, modelRoot, modelLimits, ordering, maxBatchDelay, lastValueKernel);
    }

    public ForecastOptions withPolicy(ForecastPolicy p) {
        return new ForecastOptions(modelBundleZip, allowedLateness, idleTimeout, stateTtl, maxBatchSize, p, maxInlineModelBytes,
                maxEventTimeJump, modelRoot, modelLimits, ordering, maxBatchDelay, lastValueKernel);
    }

    public ForecastOptions withModelRoot(String root) {
        return new ForecastOptions(modelBundleZip, allowedLateness, idleTimeout, stateTtl, maxBatchSize, policy,
                maxInlineModelBytes, maxEventTimeJump, root, modelLimits, ordering, maxBatchDelay, lastValueKernel);
    }

    public ForecastOptions withOrdering(Ordering o, Duration batchDelay) {
        return new ForecastOptions(modelBundleZip, allowedLateness, idleTimeout, stateTtl, maxBatchSize, policy,
                maxInlineModelBytes, maxEventTimeJump, modelRoot, modelLimits, o, batchDelay, lastValueKernel);
    }

    /** Bench only: the same pipeline with "forecast = last value" instead of the model step. */
    public ForecastOptions withLastValueKernel(boolean on) {
        return new ForecastOptions(modelBundleZip, allowedLateness, idleTimeout, stateTtl, maxBatchSize, policy,
                maxInlineModelBytes, maxEventTimeJump, modelRoot, modelLimits, ordering, maxBatchDelay, on);
    }
}
