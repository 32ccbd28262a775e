package io.lstmforecast.state;

/**
 * Rolling error of the one-step forecasts, per target: exponentially weighted means of |e| and e^2
 * over about {@link #WINDOW} events (a plain running mean while fewer have been seen), so an
 * entity's error reflects its recent behaviour and the state stays a few floats.
 *
 * @param count   errors seen so far
 * @param meanAbs weighted mean of |e|, per target
 * @param meanSq  weighted mean of e^2, per target
 */
public record RollingError(long count, float[] meanAbs, float[] meanSq) {
    public static final int WINDOW = 100;

    public static RollingError empty(int targets) {
        return new RollingError(0, new float[targets], new float[targets]);
    }

    /** The statistics after one more error vector. */
    public RollingError add(float[] error) {
        long n = count + 1;
        double alpha = 1.0 / Math.min(n, WINDOW);
        float[] abs = new float[error.length];
        float[] sq = new float[error.length];
        for (int t = 0; t < error.length; t++) {
            abs[t] = (float) (meanAbs[t] + alpha * (Math.abs(error[t]) - meanAbs[t]));
            sq[t] = (float) (meanSq[t] + alpha * ((double) error[t] * error[t] - meanSq[t]));
        }
        return new RollingError(n, abs, sq);
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
}
