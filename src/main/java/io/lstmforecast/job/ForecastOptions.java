package io.lstmforecast.job;

import java.io.Serializable;
import java.time.Duration;

/**
 * What the forecast graph needs besides its source and sinks.
 *
 * @param modelBundleZip  the model bundle as zip bytes, shipped with the job graph to every task
 * @param allowedLateness bounded out-of-orderness of the watermarks; an event at or behind the
 *                        watermark when it arrives is dead-lettered as late
 * @param idleTimeout     a source split without events for this long stops holding the watermark back
 * @param stateTtl        an entity without events for this long is forgotten; zero keeps entities forever
 * @param maxBatchSize    most entities stepped together in one GEMM; 1 steps every event alone
 */
public record ForecastOptions(byte[] modelBundleZip, Duration allowedLateness, Duration idleTimeout, Duration stateTtl,
                              int maxBatchSize) implements Serializable {
    public static final int DEFAULT_MAX_BATCH_SIZE = 256;

    public ForecastOptions {
        if (maxBatchSize < 1) {
            throw new IllegalArgumentException("max batch size must be at least 1, not " + maxBatchSize);
        }
    }
}
