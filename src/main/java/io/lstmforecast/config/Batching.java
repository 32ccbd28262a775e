package io.lstmforecast.config;

import java.io.Serializable;
import java.time.Duration;

/**
 * Job settings {@code ordering}, {@code max-batch-size} and {@code max-batch-delay}: when an event is applied and how
 * many entities share one model step.
 *
 * @param ordering      on arrival, or once the watermark passes the event (see {@link Ordering})
 * @param maxBatchSize  most entities stepped together in one GEMM; 1 steps every event alone
 * @param maxBatchDelay arrival ordering: longest an event waits (processing time) for its batch to fill; zero steps
 *                      each event as it arrives
 */
public record Batching(Ordering ordering, int maxBatchSize, Duration maxBatchDelay) implements Serializable {
    public static final int DEFAULT_MAX_BATCH_SIZE = 256;
    public static final Setting<Ordering> ORDERING = Setting.named("ordering", Ordering.ARRIVAL)
            .doc(
                    "When an event is applied: `arrival` (as soon as it arrives, if newer than its entity's last event) or `event-time` (once the watermark passes it, for producers that reorder events within a key); see [pipeline.md, ordering](pipeline.md#ordering).");
    public static final Setting<Integer> MAX_BATCH_SIZE = Setting.whole(
                    "max-batch-size", DEFAULT_MAX_BATCH_SIZE, 1, 65_536)
            .doc("Most entities stepped together in one GEMM; `1` steps each event alone.");
    /** Long enough to gather the events of one network buffer, short against a forecast's useful life. */
    public static final Setting<Duration> MAX_BATCH_DELAY = Setting.duration(
                    "max-batch-delay", Duration.ofMillis(5), Duration.ZERO, Duration.ofSeconds(10))
            .doc(
                    "`arrival` ordering: longest an event waits (processing time) for other entities to share its model step; `0` steps each event as it arrives. A batch also closes when full, before every checkpoint barrier, a watermark, a model swap and at end of input.");

    public static final Batching DEFAULT =
            new Batching(ORDERING.fallback(), MAX_BATCH_SIZE.fallback(), MAX_BATCH_DELAY.fallback());

    public static Batching read(SettingsTree t) {
        return new Batching(t.get(ORDERING), t.get(MAX_BATCH_SIZE), t.get(MAX_BATCH_DELAY));
    }

    public Batching {
        java.util.Objects.requireNonNull(ordering, ORDERING.key());
        MAX_BATCH_SIZE.checkFloor(maxBatchSize);
        MAX_BATCH_DELAY.checkFloor(maxBatchDelay);
    }
}
