package io.lstmforecast.job;

import io.lstmforecast.event.ParsedRecord;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.util.clock.Clock;
import org.apache.flink.util.clock.SystemClock;

/**
 * Watermarks of one Kafka partition: bounded out-of-orderness as Flink's own generator, with two guards against
 * what producers send.
 *
 * <p>A jump guard. One event far ahead of the partition's time would move its watermark ahead at once and make
 * every real event after it {@code late}. So an event more than {@code maxJump} ahead of the partition's time
 * only becomes a candidate; the watermark follows it once a second event reaches it (time really moved on),
 * and drops it if an earlier event comes next (it was the outlier). A single event can therefore move the
 * watermark by at most {@code maxJump}; a stream whose events are further apart than that is released one event
 * later than without the guard. The held event itself is not lost: it waits in the operator until time reaches it.
 *
 * <p>Idleness counted by events. A dead letter carries no event time and does not count as activity, so a
 * partition that carries only bad records goes idle after {@code idleTimeout} instead of holding back the
 * watermark of the whole job (Flink's {@code withIdleness} counts every record).
 */
final class EventTimeWatermarks implements WatermarkGenerator<ParsedRecord> {
    private static final long NONE = Long.MIN_VALUE;

    private final long lateness;
    private final long maxJump;
    private final long idleTimeout;
    private final Clock clock;

    private long time = NONE;
    private long candidate = NONE;
    private long lastEventAt;
    private boolean idle;

    /**
     * @param lateness    allowed out-of-orderness, ms
     * @param maxJump     largest step a single event may move the time by, ms; 0 turns the guard off
     * @param idleTimeout ms without events after which the partition stops holding the watermark back; 0 never
     */
    EventTimeWatermarks(long lateness, long maxJump, long idleTimeout, Clock clock) {
        this.lateness = lateness;
        this.maxJump = maxJump;
        this.idleTimeout = idleTimeout;
        this.clock = clock;
        this.lastEventAt = clock.relativeTimeMillis();
    }

    EventTimeWatermarks(long lateness, long maxJump, long idleTimeout) {
        this(lateness, maxJump, idleTimeout, SystemClock.getInstance());
    }

    @Override
    public void onEvent(ParsedRecord record, long timestamp, WatermarkOutput output) {
        if (!record.isEvent()) {
            return;
        }
        lastEventAt = clock.relativeTimeMillis();
        if (idle) {
            idle = false;
            output.markActive();
        }
        observe(record.event().timestamp());
    }

    /** Advances the partition's time by one event's timestamp, holding back a lone jump. */
    void observe(long t) {
        if (maxJump == 0 || (time != NONE && t - time <= maxJump)) {
            time = Math.max(time, t);
            if (candidate != NONE && candidate <= time) {
                candidate = NONE;
            }
            return;
        }
        if (candidate == NONE || t < candidate) {
            candidate = t;
            return;
        }
        // A second event at or past the candidate: time did move that far.
        time = Math.max(time, candidate);
        candidate = NONE;
        observe(t);
    }

    /** The partition's event time as far as the watermark follows it; Long.MIN_VALUE before it is known. */
    long time() {
        return time;
    }

    @Override
    public void onPeriodicEmit(WatermarkOutput output) {
        if (idleTimeout > 0 && clock.relativeTimeMillis() - lastEventAt >= idleTimeout) {
            if (!idle) {
                idle = true;
                output.markIdle();
            }
            return;
        }
        if (time != NONE) {
            output.emitWatermark(new Watermark(time - lateness - 1));
        }
    }
}
