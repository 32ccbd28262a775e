package io.lstmforecast.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lstmforecast.event.DeadLetterReason;
import io.lstmforecast.event.Event;
import io.lstmforecast.job.Admission.Entity;
import io.lstmforecast.job.Admission.Moment;
import io.lstmforecast.job.Admission.Verdict;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The admission rules on their own: each rule, which one wins when several apply, and the sentences users read. */
class AdmissionTest {
    private static final Duration LATENESS = Duration.ofSeconds(5);
    private static final Entity NEW = new Entity(null, null, false);

    private static Event at(long time) {
        return new Event("pump-7", time, new float[] {1f}, null);
    }

    private static Entity applied(long last) {
        return new Entity(null, last, false);
    }

    private static Verdict hold(long time, Entity entity, long watermark) {
        return Admission.decide(Moment.HOLD, at(time), entity, watermark, LATENESS);
    }

    private static Verdict apply(long time, Entity entity) {
        // The watermark does not matter when an event is applied: a released event is behind it by construction.
        return Admission.decide(Moment.APPLY, at(time), entity, Long.MAX_VALUE, LATENESS);
    }

    @Test
    void newerEventsAreAdmittedAtBothMoments() {
        assertTrue(hold(2000, NEW, 1000).admitted());
        assertTrue(hold(2000, applied(1999), 1000).admitted());
        assertTrue(apply(2000, NEW).admitted());
        assertTrue(apply(2000, applied(1999)).admitted());
        assertNull(apply(2000, NEW).reason());
    }

    @Test
    void unreadableStateRejectsTheEventWhateverElseHolds() {
        Entity broken = new Entity("corrupt stream", null, true);
        for (Verdict v : new Verdict[] {hold(500, broken, 1000), apply(500, broken)}) {
            assertEquals(DeadLetterReason.BAD_STATE, v.reason());
            assertEquals(
                    "the stored state of entity 'pump-7' could not be read (corrupt stream); it was cleared and the"
                            + " entity starts afresh with its next event",
                    v.detail());
        }
    }

    @Test
    void heldDuplicateIsRejectedBeforeLateness() {
        Verdict pendingTwin = hold(500, new Entity(null, null, true), 1000);
        Verdict appliedTwin = hold(500, applied(500), 1000);
        for (Verdict v : new Verdict[] {pendingTwin, appliedTwin}) {
            assertEquals(DeadLetterReason.DUPLICATE, v.reason());
            assertEquals(
                    "an event of entity 'pump-7' with timestamp 500 was already received; the first one is applied",
                    v.detail());
        }
    }

    @Test
    void eventAtOrBehindTheWatermarkIsLate() {
        for (long time : new long[] {1000, 999}) {
            Verdict v = hold(time, applied(10), 1000);
            assertEquals(DeadLetterReason.LATE, v.reason());
            assertEquals(
                    "event time " + time + " is at or behind the watermark 1000: it arrived more than the allowed"
                            + " lateness PT5S late",
                    v.detail());
        }
        assertTrue(hold(1001, applied(10), 1000).admitted());
    }

    @Test
    void eventAheadOfTheWatermarkButBehindTheEntityIsOutOfOrder() {
        // After a restart the watermark starts again from nothing while the entity remembers its last event.
        Verdict v = hold(2000, applied(3000), Long.MIN_VALUE);
        assertEquals(DeadLetterReason.OUT_OF_ORDER, v.reason());
        assertEquals("event time 2000 is before the last event already applied to entity 'pump-7' (3000)", v.detail());
        assertEquals(v, apply(2000, applied(3000)), "the same verdict when the event is applied");
    }

    @Test
    void appliedTwinIsADuplicateWithItsOwnSentence() {
        Verdict v = apply(3000, applied(3000));
        assertEquals(DeadLetterReason.DUPLICATE, v.reason());
        assertEquals("an event of entity 'pump-7' with timestamp 3000 was already applied", v.detail());
    }

    @Test
    void applyIgnoresHeldTwinsAndTheWatermark() {
        assertTrue(Admission.decide(Moment.APPLY, at(500), new Entity(null, 100L, true), 1000, LATENESS)
                .admitted());
    }
}
