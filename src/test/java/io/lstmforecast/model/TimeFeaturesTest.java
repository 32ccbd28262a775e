package io.lstmforecast.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TimeFeaturesTest {
    @Test
    void sineAndCosineOfHourAndWeekdayInUtc() {
        // Wednesday 2026-11-25 18:30 UTC: hour 18.5, weekday 2 (Monday = 0) plus 18.5/24 of a day.
        long t = Instant.parse("2026-11-25T18:30:00Z").toEpochMilli();
        float[] out = new float[5];
        TimeFeatures.write(TimeFeatures.parseAll(List.of("hour-of-day", "day-of-week")), t, out, 1);
        double hour = 2 * Math.PI * 18.5 / 24;
        double day = 2 * Math.PI * (2 + 18.5 / 24) / 7;
        assertEquals(0, out[0]);
        assertEquals(Math.sin(hour), out[1], 1e-6);
        assertEquals(Math.cos(hour), out[2], 1e-6);
        assertEquals(Math.sin(day), out[3], 1e-6);
        assertEquals(Math.cos(day), out[4], 1e-6);
    }

    @Test
    void midnightFollowsTheLastMinuteOfTheDay() {
        float[] before = new float[2];
        float[] after = new float[2];
        List<TimeFeatures> hour = List.of(TimeFeatures.HOUR_OF_DAY);
        TimeFeatures.write(hour, Instant.parse("2026-11-29T23:59:00Z").toEpochMilli(), before, 0);
        TimeFeatures.write(hour, Instant.parse("2026-11-30T00:00:00Z").toEpochMilli(), after, 0);
        assertEquals(after[0], before[0], 0.005);
        assertEquals(after[1], before[1], 0.005);
        assertEquals(4, TimeFeatures.width(TimeFeatures.parseAll(List.of("day-of-week", "hour-of-day"))));
    }

    @Test
    void unknownNamesAreRefusedWithTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TimeFeatures.parse("hour"));
        assertEquals("unknown time feature 'hour'; known: hour-of-day, day-of-week", e.getMessage());
    }
}
