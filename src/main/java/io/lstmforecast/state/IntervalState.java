package io.lstmforecast.state;

import java.util.Arrays;

/**
 * One entity's online conformal prediction intervals: for every horizon step k and target, a tracker of the
 * {@code coverage} quantile of the entity's own absolute k-step errors, and the forecasts still waiting for
 * their truth. A forecast's interval at step k is forecast +- halfWidth[k].
 *
 * <p>Method: the quantile tracker of Angelopoulos, Barber and Bates ("Conformal PID Control for Time Series
 * Prediction", 2023), of the adaptive conformal inference family (Gibbs and Candès 2021). When the truth
 * of a k-step forecast arrives, its score s = |actual - forecast| is compared with the half-width that was
 * published with it; the tracker moves by {@code eta * (miss - alpha)}, alpha = 1 - coverage: up by
 * eta * (1 - alpha) after a miss, down by eta * alpha after a hit. Misses therefore settle at a rate alpha
 * whatever the errors' distribution, and when the error level drifts the width follows it. The step
 * eta = {@link #GAIN} x the rolling mean of the step's scores (over about {@link RollingError#WINDOW}
 * events), so the tracker moves in the series' own units and adapts in about a hundred events. The first
 * score of a step starts its tracker (half-width = that score).
 *
 * <p>Pending forecasts are kept by how many events ahead their truth is: block d (d = 1..H) holds the
 * forecasts made for the event d events from now, at steps k = d..H (the k-step one was made k - d events
 * ago), so H (H + 1) / 2 values per target, and the half-widths published with them.
 * NaN marks a forecast never made (the entity's first events, or after a reset).
 *
 * @param horizon          H, the steps per forecast (0: intervals off)
 * @param targets          targets per forecast
 * @param observed         events seen since the intervals started
 * @param halfWidth        the current half-width, [k * targets + t], NaN before the step's first score
 * @param scale            rolling mean of the step's scores, same layout
 * @param pendingForecast  forecasts waiting for their truth, [(triangle(d, k)) * targets + t]
 * @param pendingHalfWidth the half-widths published with them
 */
public record IntervalState(
        int horizon,
        int targets,
        long observed,
        float[] halfWidth,
        float[] scale,
        float[] pendingForecast,
        float[] pendingHalfWidth) {
    /** Tracker step as a fraction of the rolling mean score: about a hundred events to adapt, +-6 % jitter. */
    public static final double GAIN = 0.05;

    public static final IntervalState OFF =
            new IntervalState(0, 0, 0, new float[0], new float[0], new float[0], new float[0]);

    /** Intervals that know nothing yet. */
    public static IntervalState fresh(int horizon, int targets) {
        int pending = horizon * (horizon + 1) / 2 * targets;
        float[] hw = new float[horizon * targets];
        float[] pf = new float[pending];
        float[] ph = new float[pending];
        Arrays.fill(hw, Float.NaN);
        Arrays.fill(pf, Float.NaN);
        Arrays.fill(ph, Float.NaN);
        return new IntervalState(horizon, targets, 0, hw, new float[horizon * targets], pf, ph);
    }

    public boolean isOff() {
        return horizon == 0;
    }

    /**
     * Whether these intervals were made for forecasts of this shape, with arrays of the lengths it implies (else a
     * swap, a changed setting or a damaged checkpoint must restart them rather than index past an array's end).
     */
    public boolean fits(int horizon, int targets) {
        int steps = horizon * targets;
        int pending = horizon * (horizon + 1) / 2 * targets;
        return this.horizon == horizon
                && this.targets == targets
                && observed >= 0
                && halfWidth.length == steps
                && scale.length == steps
                && pendingForecast.length == pending
                && pendingHalfWidth.length == pending;
    }

    /** Index of the pending forecast for the event d events ahead made at step k, 1 <= d <= k <= H. */
    private int triangle(int d, int k) {
        return (d - 1) * horizon - (d - 1) * (d - 2) / 2 + (k - d);
    }

    /** What one event did to the intervals: the new state and how the one-step interval of this event fared. */
    public record Update(IntervalState next, boolean scoredOneStep, boolean coveredOneStep) {}

    /**
     * Scores the forecasts made for this event against its {@code actual} target values, moves the trackers
     * and keeps {@code forecast} (H x targets, row-major, made at this event) with its half-widths.
     */
    public Update advance(float[] actual, float[] forecast, double coverage) {
        double alpha = 1 - coverage;
        float[] hw = halfWidth.clone();
        float[] sc = scale.clone();
        long n = observed + 1;
        boolean scored = false;
        boolean covered = false;
        for (int k = 1; k <= horizon; k++) {
            for (int t = 0; t < targets; t++) {
                int p = triangle(1, k) * targets + t;
                float f = pendingForecast[p];
                if (Float.isNaN(f)) {
                    continue;
                }
                double s = Math.abs(actual[t] - f);
                int q = (k - 1) * targets + t;
                boolean miss = s > pendingHalfWidth[p];
                if (k == 1 && t == 0) {
                    scored = !Float.isNaN(pendingHalfWidth[p]);
                    covered = scored && !miss;
                }
                if (Float.isNaN(hw[q])) {
                    hw[q] = (float) s;
                    sc[q] = (float) s;
                    continue;
                }
                long count = n - k;
                // The scale learns from the score clipped at a multiple of itself: one wild error cannot widen the
                // tracker's steps for a window (the miss itself still counts, once).
                sc[q] = (float) (sc[q] + (RollingError.clip(s, sc[q]) - sc[q]) / Math.min(count, RollingError.WINDOW));
                // A forecast published before its step had a half-width counts as a miss only if it would be one now.
                boolean missed = Float.isNaN(pendingHalfWidth[p]) ? s > hw[q] : miss;
                hw[q] = (float) Math.max(0, hw[q] + GAIN * sc[q] * ((missed ? 1 : 0) - alpha));
            }
        }
        float[] pf = new float[pendingForecast.length];
        float[] ph = new float[pendingHalfWidth.length];
        for (int d = 1; d <= horizon; d++) {
            for (int t = 0; t < targets; t++) {
                int at = triangle(d, d) * targets + t;
                pf[at] = forecast[(d - 1) * targets + t];
                ph[at] = hw[(d - 1) * targets + t];
            }
            if (d < horizon) {
                // Block d + 1 (steps d+1..H) becomes block d's steps d+1..H.
                int from = triangle(d + 1, d + 1) * targets;
                int to = triangle(d, d + 1) * targets;
                int len = (horizon - d) * targets;
                System.arraycopy(pendingForecast, from, pf, to, len);
                System.arraycopy(pendingHalfWidth, from, ph, to, len);
            }
        }
        return new Update(new IntervalState(horizon, targets, n, hw, sc, pf, ph), scored, covered);
    }

    /** Whether every step has a half-width, so a whole forecast can carry its interval. */
    public boolean ready() {
        if (isOff()) {
            return false;
        }
        for (float w : halfWidth) {
            if (Float.isNaN(w)) {
                return false;
            }
        }
        return true;
    }

    /** forecast - halfWidth, or + halfWidth ({@code sign} -1 or +1), in the forecast's layout. */
    public float[] bound(float[] forecast, int sign) {
        float[] b = new float[forecast.length];
        for (int i = 0; i < b.length; i++) {
            b[i] = forecast[i] + sign * halfWidth[i];
        }
        return b;
    }

    public IntervalState copy() {
        return new IntervalState(
                horizon,
                targets,
                observed,
                halfWidth.clone(),
                scale.clone(),
                pendingForecast.clone(),
                pendingHalfWidth.clone());
    }
}
