package io.lstmforecast.state;

import java.util.Arrays;

/**
 * The layout of values kept per forecast step until the event they were made for arrives. Block d (d = 1..H) holds
 * the values for the event d events from now, at steps k = d..H (the k-step one was made k - d events before the last
 * event), so H (H + 1) / 2 values per target, at [index(d, k) * targets + t]. Block 1 holds the values for the event
 * arriving next: its step k at [(k - 1) * targets + t] was made k events before that event.
 */
final class Triangle {
    private Triangle() {}

    /** Values per target for a horizon of H steps. */
    static int size(int horizon) {
        return horizon * (horizon + 1) / 2;
    }

    static int index(int horizon, int d, int k) {
        return (d - 1) * horizon - (d - 1) * (d - 2) / 2 + (k - d);
    }

    /** A triangle with nothing in it yet (NaN: nothing made). */
    static float[] empty(int horizon, int targets) {
        float[] values = new float[size(horizon) * targets];
        Arrays.fill(values, Float.NaN);
        return values;
    }

    /**
     * The triangle after an event: block d's steps d+1..H are the old block d+1's, and its step d is {@code newest}'s
     * step d (the values made at this event, horizon x targets row-major). The old block 1 (this event's) is gone.
     */
    static float[] shift(float[] old, float[] newest, int horizon, int targets) {
        float[] next = new float[old.length];
        for (int d = 1; d <= horizon; d++) {
            System.arraycopy(newest, (d - 1) * targets, next, index(horizon, d, d) * targets, targets);
            if (d < horizon) {
                int from = index(horizon, d + 1, d + 1) * targets;
                int to = index(horizon, d, d + 1) * targets;
                System.arraycopy(old, from, next, to, (horizon - d) * targets);
            }
        }
        return next;
    }
}
