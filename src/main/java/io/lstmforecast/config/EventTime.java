package io.lstmforecast.config;

import java.io.Serializable;
import java.time.Duration;

/**
 * Job settings for event time: watermarks and how long an idle entity is kept.
 *
 * @param allowedLateness  bounded out-of-orderness of the watermarks; an event at or behind the watermark when it
 *                         arrives is dead-lettered as late (event-time ordering)
 * @param idleTimeout      a source split without events for this long stops holding the watermark back
 * @param stateTtl         an entity whose last event is this much event time behind the watermark is forgotten and
 *                         counted as expired; zero keeps entities forever
 * @param maxEventTimeJump largest step one event may move its partition's watermark by
 */
public record EventTime(Duration allowedLateness, Duration idleTimeout, Duration stateTtl, Duration maxEventTimeJump)
        implements Serializable {
    public static final Setting<Duration> ALLOWED_LATENESS = Setting.duration(
                    "allowed-lateness", Duration.ofSeconds(5), Duration.ZERO, Duration.ofDays(7))
            .doc(
                    "Bounded out-of-orderness of the watermarks (`event-time` ordering waits this long); see [pipeline.md, ordering](pipeline.md#ordering).");
    public static final Setting<Duration> IDLE_TIMEOUT = Setting.duration(
                    "idle-timeout", Duration.ofSeconds(30), Duration.ZERO, Duration.ofDays(1))
            .doc("A partition without events for this long stops holding the watermark back.");
    public static final Setting<Duration> STATE_TTL = Setting.duration(
                    "state-ttl", Duration.ofDays(1), Duration.ZERO, Duration.ofDays(3650))
            .doc("An entity whose last event is this much event time behind the watermark is forgotten (`0`: never).");
    public static final Setting<Duration> MAX_EVENT_TIME_JUMP = Setting.duration(
                    "max-event-time-jump", Duration.ofHours(1), Duration.ZERO, Duration.ofDays(3650))
            .doc(
                    "Most one event can move its partition's watermark ahead (`0`: no guard); see [pipeline.md, ordering](pipeline.md#ordering).");

    public static EventTime read(SettingsTree t) {
        return new EventTime(
                t.get(ALLOWED_LATENESS), t.get(IDLE_TIMEOUT), t.get(STATE_TTL), t.get(MAX_EVENT_TIME_JUMP));
    }

    public EventTime {
        ALLOWED_LATENESS.checkFloor(allowedLateness);
        IDLE_TIMEOUT.checkFloor(idleTimeout);
        STATE_TTL.checkFloor(stateTtl);
        MAX_EVENT_TIME_JUMP.checkFloor(maxEventTimeJump);
    }
}
