package io.lstmforecast.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Bench names each measured event by its time; the reader finds it in events and in forecasts alike. */
class AppendTimesTest {
    private static int index(String json, int events) {
        return AppendTimes.measuredIndex(json.getBytes(StandardCharsets.UTF_8), events);
    }

    @Test
    void theTimeNamesTheMeasuredEventInAnEventAndInItsForecast() {
        long t = BenchEvents.T0 + 41;
        assertEquals(41, index("{\"id\":\"e7\",\"t\":" + t + ",\"v\":0.5}", 100));
        // A forecast: nested arrays and objects before the time are skipped, not mistaken for it.
        assertEquals(
                41,
                index(
                        "{\"entity\":\"e7\",\"forecast\":[1.0,2.0],\"baseline\":{\"t\":3},\"lower\":[[0]],"
                                + "\"event_time\":" + t + ",\"step\":1}",
                        100));
    }

    @Test
    void warmUpFlushAndForeignRecordsAreNotMeasured() {
        assertEquals(-1, index("{\"id\":\"warmup7\",\"t\":" + (BenchEvents.T0 - 1) + ",\"v\":0}", 100));
        assertEquals(-1, index("{\"id\":\"flush\",\"t\":" + (BenchEvents.T0 + 100) + ",\"v\":0}", 100));
        assertEquals(99, index("{\"id\":\"e1\",\"t\":" + (BenchEvents.T0 + 99) + ",\"v\":0}", 100));
        assertEquals(-1, index("not json", 100));
        assertEquals(-1, index("{\"id\":\"e1\"}", 100));
    }
}
