package io.lstmforecast.job;

import io.lstmforecast.event.DeadLetterReason;
import io.lstmforecast.event.Event;
import java.time.Duration;

/**
 * Whether an event may go on towards its entity's state, or goes to the dead letters and why: the ordering rules of
 * {@link io.lstmforecast.config.Ordering} in one place, with no state of its own.
 *
 * <p>An event meets admission at one of two moments. With event-time ordering it is first {@link Moment#HOLD held}
 * until the watermark passes its time; with either ordering it is then {@link Moment#APPLY applied}, joining a batch.
 * An entity's events must reach the LSTM in order, once each, so: a stored state that cannot be read rejects the event
 * (the state is cleared, and the entity starts afresh with its next event); an event at the time of one already held or
 * applied is a duplicate (the first one wins); one at or behind the watermark when it arrives is late; one behind the
 * entity's last applied event is out of order (after a restart the watermark starts from nothing, so an event can be
 * ahead of it and still behind the entity).
 */
final class Admission {
    private Admission() {}

    /** When the event meets admission. */
    enum Moment {
        /** Event-time ordering, on arrival: the event is to wait until the watermark passes its time. */
        HOLD,
        /** On arrival with arrival ordering, on release by the watermark with event-time ordering. */
        APPLY
    }

    /**
     * The entity as admission sees it.
     *
     * @param unreadable  why its stored state cannot be read; null when it can (or there is none)
     * @param lastApplied the time of its last applied event; null when it has none
     * @param held        an event of the entity at the same time is already waiting for the watermark
     */
    record Entity(String unreadable, Long lastApplied, boolean held) {}

    /** The outcome: admitted, or the dead-letter reason and the sentence that explains it. */
    record Verdict(DeadLetterReason reason, String detail) {
        static final Verdict ADMIT = new Verdict(null, null);

        boolean admitted() {
            return reason == null;
        }
    }

    /**
     * The verdict on {@code event} of {@code entity} at {@code moment}; {@code watermark} and {@code allowedLateness}
     * matter only when it is held.
     */
    static Verdict decide(Moment moment, Event event, Entity entity, long watermark, Duration allowedLateness) {
        String id = event.entityId();
        long time = event.timestamp();
        if (entity.unreadable() != null) {
            return new Verdict(
                    DeadLetterReason.BAD_STATE,
                    "the stored state of entity '" + id + "' could not be read (" + entity.unreadable()
                            + "); it was cleared and the entity starts afresh with its next event");
        }
        Long last = entity.lastApplied();
        if (moment == Moment.HOLD) {
            if (entity.held() || (last != null && last == time)) {
                return new Verdict(
                        DeadLetterReason.DUPLICATE,
                        "an event of entity '" + id + "' with timestamp " + time
                                + " was already received; the first one is applied");
            }
            if (time <= watermark) {
                return new Verdict(
                        DeadLetterReason.LATE,
                        "event time " + time + " is at or behind the watermark " + watermark
                                + ": it arrived more than the allowed lateness " + allowedLateness + " late");
            }
        } else if (last != null && last == time) {
            return new Verdict(
                    DeadLetterReason.DUPLICATE,
                    "an event of entity '" + id + "' with timestamp " + time + " was already applied");
        }
        if (last != null && time < last) {
            return new Verdict(
                    DeadLetterReason.OUT_OF_ORDER,
                    "event time " + time + " is before the last event already applied to entity '" + id + "' (" + last
                            + ")");
        }
        return Verdict.ADMIT;
    }
}
