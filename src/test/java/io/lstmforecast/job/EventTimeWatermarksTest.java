package io.lstmforecast.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lstmforecast.event.DeadLetter;
import io.lstmforecast.event.DeadLetterReason;
import io.lstmforecast.event.Event;
import io.lstmforecast.event.ParsedRecord;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.util.clock.ManualClock;
import org.junit.jupiter.api.Test;

class EventTimeWatermarksTest {
    static final long HOUR = 3_600_000L;

    /** What a partition's generator told Flink. */
    static final class Output implements WatermarkOutput {
        final List<Long> watermarks = new ArrayList<>();
        boolean idle;

        @Override
        public void emitWatermark(Watermark w) {
            watermarks.add(w.getTimestamp());
        }

        @Override
        public void markIdle() {
            idle = true;
        }

        @Override
        public void markActive() {
            idle = false;
        }
    }

    @Test
    void aLoneEventFarAheadDoesNotMoveTheWatermarkButTwoThatAgreeDo() {
        EventTimeWatermarks w = new EventTimeWatermarks(0, HOUR, 0);
        w.observe(1_000);
        w.observe(2_000);
        assertEquals(2_000, w.time());
        w.observe(2_000 + 24 * HOUR); // one event a day ahead: held as a candidate
        w.observe(3_000);
        assertEquals(3_000, w.time(), "the real events after it go on moving time");
        w.observe(3_000 + 2 * HOUR); // a gap of two hours, then a second event confirms it
        assertEquals(3_000, w.time());
        w.observe(3_000 + 2 * HOUR + 500);
        assertEquals(3_000 + 2 * HOUR + 500, w.time());
    }

    @Test
    void aStreamWhoseEventsAreFurtherApartThanTheGuardTrailsByOneEvent() {
        EventTimeWatermarks w = new EventTimeWatermarks(0, HOUR, 0);
        for (int day = 0; day < 5; day++) {
            w.observe(day * 24 * HOUR);
            assertEquals(day == 0 ? Long.MIN_VALUE : (day - 1) * 24 * HOUR, w.time());
        }
        EventTimeWatermarks off = new EventTimeWatermarks(0, 0, 0);
        off.observe(1_000);
        off.observe(1_000 + 100 * HOUR);
        assertEquals(1_000 + 100 * HOUR, off.time(), "max-event-time-jump 0 turns the guard off");
    }

    @Test
    void deadLettersDoNotKeepAPartitionActive() {
        ManualClock clock = new ManualClock(0);
        EventTimeWatermarks w = new EventTimeWatermarks(5_000, HOUR, 1_000, clock);
        Output out = new Output();
        ParsedRecord bad = ParsedRecord.of(new DeadLetter(DeadLetterReason.MALFORMED_JSON, "x", null));
        for (int i = 0; i < 10; i++) {
            clock.advanceTime(java.time.Duration.ofMillis(200));
            w.onEvent(bad, Long.MIN_VALUE, out);
            w.onPeriodicEmit(out);
        }
        assertTrue(out.idle, "only dead letters for 2 s: idle after the 1 s timeout");
        w.onEvent(ParsedRecord.of(new Event("a", 50_000, new float[] {1}, null)), 50_000, out);
        w.onEvent(ParsedRecord.of(new Event("a", 51_000, new float[] {1}, null)), 51_000, out);
        w.onPeriodicEmit(out);
        assertTrue(!out.idle, "an event makes it active again");
        assertEquals(51_000 - 5_000 - 1, out.watermarks.get(out.watermarks.size() - 1));
    }
}
