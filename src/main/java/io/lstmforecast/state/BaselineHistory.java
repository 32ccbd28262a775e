package io.lstmforecast.state;

import io.lstmforecast.model.Baseline;
import java.util.Arrays;

/**
 * The few recent values of an entity its baseline forecasts from, in a ring of fixed size: one value for
 * persistence, two for constant-velocity, a period's worth for seasonal:N events (N at most
 * {@link Baseline#MAX_PERIOD_EVENTS}), and {@link #TIME_SLOTS} (time, value) slots for a seasonal period given as a
 * duration.
 *
 * <p>Seasonal by duration P. Time is cut into buckets of width P / {@value #BUCKETS}; the ring keeps, for each of the
 * last {@link #TIME_SLOTS} = {@value #BUCKETS} + 1 buckets (a whole period and the bucket it started in), the entity's
 * latest event in that bucket (slot = bucket mod {@link #TIME_SLOTS}). Events need not be regular, so the time of step k
 * is estimated as the event's time + k x the entity's mean gap between events (a rolling mean over
 * {@link RollingError}'s window); the step's baseline value is that of the kept event nearest in time to that instant
 * minus P, if it lies within one bucket width of it (seasonal:1d with hourly events: the value 24 hours before the
 * step's time, to within an hour).
 *
 * <p>Until the entity has history reaching back a period (its first period, or after a gap of more than a period), a
 * seasonal step has no value to use and falls back to the last value (persistence); constant-velocity likewise until the
 * entity's second event.
 *
 * @param baseline the baseline the history was kept for; null for a history restored from a format that did not say
 *                 (7 or older), which is taken to be the job's if its sizes fit
 * @param seen    events added so far
 * @param meanGap rolling mean of the time between the entity's events (ms); used by seasonal durations only
 * @param values  the ring of values, [slot * targets + t]
 * @param times   the event time of each slot (seasonal durations only; empty otherwise), {@link #EMPTY_SLOT} when empty
 */
public record BaselineHistory(Baseline baseline, long seen, float meanGap, float[] values, long[] times) {
    /** The time of a slot that holds no event yet. */
    public static final long EMPTY_SLOT = Long.MIN_VALUE;
    /** A seasonal period given as a duration is cut into this many buckets: its resolution is a 24th of the period. */
    public static final int BUCKETS = 24;
    /** Slots kept for a seasonal duration: with one target, 25 x 12 bytes of state. */
    public static final int TIME_SLOTS = BUCKETS + 1;
    /** The history of a job without a baseline, or of state written before baselines existed. */
    public static final BaselineHistory NONE = new BaselineHistory(Baseline.NONE, 0, 0, new float[0], new long[0]);

    /** A history that does not say which baseline it was kept for (restored from format 7 or older). */
    public BaselineHistory(long seen, float meanGap, float[] values, long[] times) {
        this(null, seen, meanGap, values, times);
    }

    /** Values the baseline needs to keep per target. */
    static int slots(Baseline b) {
        return switch (b.kind()) {
            case NONE -> 0;
            case PERSISTENCE -> 1;
            case CONSTANT_VELOCITY -> 2;
            case SEASONAL -> b.byTime() ? TIME_SLOTS : b.periodEvents();
        };
    }

    public static BaselineHistory empty(Baseline b, int targets) {
        if (b.isNone()) {
            return NONE;
        }
        long[] times = new long[b.byTime() ? TIME_SLOTS : 0];
        Arrays.fill(times, EMPTY_SLOT);
        return new BaselineHistory(b, 0, 0, new float[slots(b) * targets], times);
    }

    /** Whether this history was kept for this baseline and number of targets (a changed setting restarts it). */
    public boolean fits(Baseline b, int targets) {
        return (baseline == null || baseline.equals(b))
                && seen >= 0
                && values.length == slots(b) * targets
                && times.length == (b.byTime() ? TIME_SLOTS : 0);
    }

    /** The history after an event at {@code time} with these target values; {@code lastTime} is the previous event's. */
    public BaselineHistory add(Baseline b, long time, float[] actual, long lastTime) {
        if (b.isNone()) {
            return this;
        }
        int targets = actual.length;
        float gap = meanGap;
        if (b.byTime() && seen > 0 && lastTime != Long.MIN_VALUE) {
            gap = (float) (meanGap + RollingError.weight(seen) * ((double) (time - lastTime) - meanGap));
        }
        float[] v = values.clone();
        long[] ts = times.clone();
        int slot = b.byTime()
                ? (int) Math.floorMod(Math.floorDiv(time, bucket(b)), (long) TIME_SLOTS)
                : (int) (seen % slots(b));
        System.arraycopy(actual, 0, v, slot * targets, targets);
        if (b.byTime()) {
            ts[slot] = time;
        }
        return new BaselineHistory(b, seen + 1, gap, v, ts);
    }

    private static long bucket(Baseline b) {
        return Math.max(1, b.periodMillis() / BUCKETS);
    }

    /**
     * The baseline's forecast made at an event at {@code now} that this history already holds: horizon x targets,
     * row-major as the model's.
     */
    public float[] forecast(Baseline b, long now, int horizon, int targets) {
        float[] f = new float[horizon * targets];
        for (int k = 1; k <= horizon; k++) {
            for (int t = 0; t < targets; t++) {
                f[(k - 1) * targets + t] = step(b, now, k, t, targets);
            }
        }
        return f;
    }

    private float step(Baseline b, long now, int k, int t, int targets) {
        float last = b.byTime() ? values[newest() * targets + t] : ago(0, t, targets, slots(b));
        switch (b.kind()) {
            case CONSTANT_VELOCITY:
                return seen < 2 ? last : last + k * (last - ago(1, t, targets, 2));
            case SEASONAL:
                if (b.byTime()) {
                    int slot = nearest(now + (long) k * (long) meanGap - b.periodMillis(), bucket(b));
                    return slot < 0 ? last : values[slot * targets + t];
                }
                // Step k lands P * ceil(k / P) - k events after the value it repeats.
                int period = b.periodEvents();
                int back = (k + period - 1) / period * period - k;
                return back < seen ? ago(back, t, targets, period) : last;
            default:
                return last;
        }
    }

    /** Target t of the event {@code back} events before the newest, in a ring of {@code slots} events. */
    private float ago(int back, int t, int targets, int slots) {
        int slot = (int) Math.floorMod(seen - 1 - back, (long) slots);
        return values[slot * targets + t];
    }

    /** The slot of the newest kept event (seasonal durations). */
    private int newest() {
        int best = 0;
        for (int s = 1; s < times.length; s++) {
            if (times[s] > times[best]) {
                best = s;
            }
        }
        return best;
    }

    /** The slot of the kept event nearest in time to {@code instant}, if within {@code within} of it; -1 if none. */
    private int nearest(long instant, long within) {
        int best = -1;
        long bestDistance = within;
        for (int s = 0; s < times.length; s++) {
            if (times[s] == EMPTY_SLOT) {
                continue;
            }
            long distance = Math.abs(times[s] - instant);
            if (distance <= bestDistance && (best < 0 || distance < bestDistance || times[s] > times[best])) {
                best = s;
                bestDistance = distance;
            }
        }
        return best;
    }

    public BaselineHistory copy() {
        return new BaselineHistory(baseline, seen, meanGap, values.clone(), times.clone());
    }
}
