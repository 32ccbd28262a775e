package io.lstmforecast.state;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.lstmforecast.model.Baseline;
import org.junit.jupiter.api.Test;

/** Baseline forecasts against values worked out by hand. */
class BaselineHistoryTest {
    private static final long HOUR = 3_600_000L;

    /** The history after events with these values at these times (one target). */
    private static BaselineHistory after(Baseline b, long[] times, float[] values) {
        BaselineHistory h = BaselineHistory.empty(b, 1);
        long last = Long.MIN_VALUE;
        for (int i = 0; i < values.length; i++) {
            h = h.add(b, times[i], new float[] {values[i]}, last);
            last = times[i];
        }
        return h;
    }

    private static long[] every(long step, int n) {
        long[] t = new long[n];
        for (int i = 0; i < n; i++) {
            t[i] = i * step;
        }
        return t;
    }

    @Test
    void persistenceRepeatsTheLastValue() {
        BaselineHistory h = after(Baseline.PERSISTENCE, every(1000, 3), new float[] {1, 2, 4});
        assertArrayEquals(new float[] {4, 4, 4}, h.forecast(Baseline.PERSISTENCE, 2000, 3, 1));
    }

    @Test
    void constantVelocityContinuesTheLastChange() {
        Baseline cv = Baseline.CONSTANT_VELOCITY;
        // y_t = 4, y_(t-1) = 2: 4 + k * 2.
        assertArrayEquals(
                new float[] {6, 8, 10},
                after(cv, every(1000, 3), new float[] {1, 2, 4}).forecast(cv, 2000, 3, 1));
        // One event: no change known yet, so the last value.
        assertArrayEquals(
                new float[] {1, 1, 1},
                after(cv, every(1000, 1), new float[] {1}).forecast(cv, 0, 3, 1));
    }

    @Test
    void constantVelocityKeepsTargetsApart() {
        Baseline cv = Baseline.CONSTANT_VELOCITY;
        BaselineHistory h = BaselineHistory.empty(cv, 2)
                .add(cv, 0, new float[] {1, 100}, Long.MIN_VALUE)
                .add(cv, 1000, new float[] {3, 90}, 0);
        // Row-major by step: x+1, y+1, x+2, y+2.
        assertArrayEquals(new float[] {5, 80, 7, 70}, h.forecast(cv, 1000, 2, 2));
    }

    @Test
    void seasonalByEventsRepeatsTheValueOnePeriodBeforeEachStep() {
        Baseline s3 = Baseline.parse("seasonal:3");
        // y = 10, 20, 30, 40. Step 1 repeats y_(t-2) = 20, step 2 y_(t-1) = 30, step 3 y_t = 40, step 4 again y_(t-2).
        assertArrayEquals(
                new float[] {20, 30, 40, 20},
                after(s3, every(1000, 4), new float[] {10, 20, 30, 40}).forecast(s3, 3000, 4, 1));
        // Two events: step 1 would need y_(t-2), not seen yet, so the last value; steps 2 and 3 are known.
        assertArrayEquals(
                new float[] {20, 10, 20},
                after(s3, every(1000, 2), new float[] {10, 20}).forecast(s3, 1000, 3, 1));
    }

    @Test
    void seasonalByDurationLooksUpTheValueOnePeriodBeforeEachStepsTime() {
        Baseline day = Baseline.parse("seasonal:1d");
        float[] values = new float[31];
        for (int i = 0; i < values.length; i++) {
            values[i] = 100 + i;
        }
        // Hourly events at hours 0..30; at hour 30 step k is at hour 30 + k, a day before it is hour 6 + k.
        BaselineHistory h = after(day, every(HOUR, 31), values);
        assertArrayEquals(new float[] {107, 108, 109}, h.forecast(day, 30 * HOUR, 3, 1));
        // At hour 10 the entity is younger than a day: nothing a period back, so the last value.
        BaselineHistory young = after(day, every(HOUR, 11), java.util.Arrays.copyOf(values, 11));
        assertArrayEquals(new float[] {110, 110}, young.forecast(day, 10 * HOUR, 2, 1));
    }

    @Test
    void seasonalByDurationTakesTheNearestKeptEventWithinABucket() {
        Baseline day = Baseline.parse("seasonal:1d");
        // Events every 20 minutes for 30 hours: a bucket (1 h) keeps its latest event, at :40.
        int n = 90;
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = i;
        }
        long[] times = every(20 * 60_000L, n);
        BaselineHistory h = after(day, times, values);
        long now = times[n - 1]; // 29 h 40 min; mean gap 20 min
        // Step 1 at 30 h 00: a day before is 6 h 00, nearest kept event 5 h 40 (value 17), 20 min away.
        // Step 3 at 30 h 40: 6 h 40, kept exactly (value 20).
        assertArrayEquals(new float[] {17, 20, 20}, h.forecast(day, now, 3, 1));
    }
}
