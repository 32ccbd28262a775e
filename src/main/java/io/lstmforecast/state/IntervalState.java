package io.lstmforecast.state;

import java.util.Arrays;

/**
 * One entity's online conformal prediction intervals: for every horizon step k and target, a tracker of the
 * {@code coverage} quantile of the entity's own absolute k-step errors, and the half-widths published with the
 * forecasts still waiting for their truth. A forecast's interval at step k is forecast +- halfWidth[k].
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
 * <p>The forecasts waiting for their truth are the entity's {@link PendingForecasts} (the served ones), shared with the
 * other stages that score them; the intervals keep the half-widths published with them, laid out as a {@link
 * Triangle}. NaN marks a half-width never published (before the step's first score, or after a reset).
 *
 * @param horizon          H, the steps per forecast (0: intervals off)
 * @param targets          targets per forecast
 * @param observed         events seen since the intervals started
 * @param halfWidth        the current half-width, [k * targets + t], NaN before the step's first score
 * @param scale            rolling mean of the step's scores, same layout
 * @param pendingHalfWidth the half-widths published with the pending forecasts, a {@link Triangle}
 */
public record IntervalState(
        int horizon, int targets, long observed, float[] halfWidth, float[] scale, float[] pendingHalfWidth) {
    /** Tracker step as a fraction of the rolling mean score: about a hundred events to adapt, +-6 % jitter. */
    public static final double GAIN = 0.05;

    public static final IntervalState OFF = new IntervalState(0, 0, 0, new float[0], new float[0], new float[0]);

    /** Intervals that know nothing yet. */
    public static IntervalState fresh(int horizon, int targets) {
        float[] hw = new float[horizon * targets];
        Arrays.fill(hw, Float.NaN);
        return new IntervalState(
                horizon, targets, 0, hw, new float[horizon * targets], Triangle.empty(horizon, targets));
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
        return this.horizon == horizon
                && this.targets == targets
                && observed >= 0
                && halfWidth.length == steps
                && scale.length == steps
                && pendingHalfWidth.length == Triangle.size(horizon) * targets;
    }

    /** What one event did to the intervals: the new state and how the one-step interval of this event fared. */
    public record Update(IntervalState next, boolean scoredOneStep, boolean coveredOneStep) {}

    /**
     * Scores the served forecasts made for this event ({@code pending}, the ring before this event) against its
     * {@code actual} target values, moves the trackers and keeps the half-widths published with {@code forecast}
     * (H x targets, row-major, made at this event). Forecasts made before the intervals started are not scored.
     */
    public Update advance(float[] actual, float[] forecast, PendingForecasts pending, double coverage) {
        double alpha = 1 - coverage;
        float[] hw = halfWidth.clone();
        float[] sc = scale.clone();
        long n = observed + 1;
        boolean scored = false;
        boolean covered = false;
        for (int k = 1; k <= Math.min(horizon, observed); k++) {
            for (int t = 0; t < targets; t++) {
                float f = pending.served(k, t);
                if (Float.isNaN(f)) {
                    continue;
                }
                double s = Math.abs(actual[t] - f);
                int q = (k - 1) * targets + t;
                float published = pendingHalfWidth[q];
                boolean miss = s > published;
                if (k == 1 && t == 0) {
                    scored = !Float.isNaN(published);
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
                boolean missed = Float.isNaN(published) ? s > hw[q] : miss;
                hw[q] = (float) Math.max(0, hw[q] + GAIN * sc[q] * ((missed ? 1 : 0) - alpha));
            }
        }
        float[] ph = Triangle.shift(pendingHalfWidth, hw, horizon, targets);
        return new Update(new IntervalState(horizon, targets, n, hw, sc, ph), scored, covered);
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
                horizon, targets, observed, halfWidth.clone(), scale.clone(), pendingHalfWidth.clone());
    }
}
