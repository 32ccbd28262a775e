package io.lstmforecast.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BaselineTest {
    @Test
    void namesParseToTheirRuleAndPeriod() {
        assertEquals(Baseline.PERSISTENCE, Baseline.parse("persistence"));
        assertEquals(Baseline.CONSTANT_VELOCITY, Baseline.parse("constant-velocity"));
        assertEquals(Baseline.NONE, Baseline.parse("none"));
        Baseline count = Baseline.parse("seasonal:24");
        assertEquals(24, count.periodEvents());
        assertEquals("seasonal:24", count.id());
        Baseline day = Baseline.parse("seasonal:1d");
        assertEquals(86_400_000L, day.periodMillis());
        assertTrue(day.byTime());
        assertEquals(day, Baseline.parse("seasonal:24h"), "the same period written two ways is the same baseline");
        assertEquals("seasonal:1d", Baseline.parse("seasonal:24h").id());
        assertEquals("seasonal:90m", Baseline.parse("seasonal:90m").id());
    }

    @Test
    void badNamesAndPeriodsSayWhatIsAccepted() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Baseline.parse("naive"))
                .getMessage()
                .contains("persistence, constant-velocity, seasonal:PERIOD"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Baseline.parse("seasonal:49"))
                .getMessage()
                .contains("1 to 48"));
        assertThrows(IllegalArgumentException.class, () -> Baseline.parse("seasonal:0"));
        assertThrows(IllegalArgumentException.class, () -> Baseline.parse("seasonal:soon"));
        assertThrows(IllegalArgumentException.class, () -> Baseline.parse("seasonal:0s"));
        assertTrue(
                assertThrows(IllegalArgumentException.class, () -> Baseline.parse("seasonal:999999999999d"))
                        .getMessage()
                        .contains("1ms to 3650d"),
                "a period that would overflow milliseconds is refused, not an ArithmeticException");
        assertEquals(3650L * 86_400_000L, Baseline.parse("seasonal:3650d").periodMillis());
    }

    @Test
    void theJobsSettingWinsThenTheModelsThenPersistence() {
        assertEquals(Baseline.CONSTANT_VELOCITY, Baseline.effective(Baseline.CONSTANT_VELOCITY, "seasonal:24"));
        assertEquals(Baseline.parse("seasonal:24"), Baseline.effective(null, "seasonal:24"));
        assertEquals(Baseline.PERSISTENCE, Baseline.effective(null, null));
    }
}
