package io.lstmforecast.state;

/**
 * Rolling statistics of the one-step forecast error e = actual - forecast, per target:
 * exponentially weighted means of e, |e| and e^2 over about {@link #WINDOW} events (a plain running
 * mean while fewer have been seen), so they follow an entity's recent behaviour in a few floats.
 * MAE and RMSE are reported with every forecast; mean and variance of e drive residual alerts.
 *
 * <p>One error counts for at most {@link #CLIP} times the current rolling mean |e| ({@link #clip}), so a single
 * glitch (a sentinel value, a 50-sigma spike) moves the statistics by at most about a tenth of their scale instead
 * of blinding them for a window; a lasting change of the error level still comes through, by up to 9 % per event.
 *
 * @param count   errors seen so far
 * @param mean    weighted mean of e, per target
 * @param meanAbs weighted mean of |e|, per target
 * @param meanSq  weighted mean of e^2, per target
 */
public record RollingError(long count, float[] mean, float[] meanAbs, float[] meanSq) {
    public static final int WINDOW = 100;
    /**
     * Most an error counts for, as a multiple of the statistic's current scale: 10 rolling mean |e|, about 12.5
     * standard deviations of Gaussian errors, which an error of a model that fits almost never reaches.
     */
    public static final double CLIP = 10;

    public static RollingError empty(int targets) {
        return new RollingError(0, new float[targets], new float[targets], new float[targets]);
    }

    /** The statistics after one more error vector. */
    public RollingError add(float[] error) {
        long n = count + 1;
        double alpha = weight(n);
        float[] m = new float[error.length];
        float[] abs = new float[error.length];
        float[] sq = new float[error.length];
        for (int t = 0; t < error.length; t++) {
            double e = clip(error[t], meanAbs[t]);
            m[t] = (float) (mean[t] + alpha * (e - mean[t]));
            abs[t] = (float) (meanAbs[t] + alpha * (Math.abs(e) - meanAbs[t]));
            sq[t] = (float) (meanSq[t] + alpha * (e * e - meanSq[t]));
        }
        return new RollingError(n, m, abs, sq);
    }

    /**
     * {@code e} with its magnitude bounded by {@link #CLIP} x {@code scale}, the rolling mean |e| of the statistic it
     * is about to join; unchanged while that scale is 0 or NaN (nothing learnt yet, or every error so far was 0).
     */
    static double clip(double e, double scale) {
        double bound = CLIP * scale;
        return scale > 0 && Math.abs(e) > bound ? Math.copySign(bound, e) : e;
    }

    /** The weight of the n-th value in a rolling mean over the window: a plain mean until the window is full. */
    static double weight(long n) {
        return 1.0 / Math.min(n, WINDOW);
    }

    public float[] mae() {
        return meanAbs.clone();
    }

    public float[] rmse() {
        float[] r = new float[meanSq.length];
        for (int t = 0; t < r.length; t++) {
            r[t] = (float) Math.sqrt(meanSq[t]);
        }
        return r;
    }

    /** Standard deviation of e for target t (the weighted variance E[e^2] - E[e]^2, floored at 0). */
    public double std(int t) {
        return Math.sqrt(Math.max(0.0, (double) meanSq[t] - (double) mean[t] * mean[t]));
    }

    public RollingError copy() {
        return new RollingError(count, mean.clone(), meanAbs.clone(), meanSq.clone());
    }
}
