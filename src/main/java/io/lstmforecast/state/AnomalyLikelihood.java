package io.lstmforecast.state;

/**
 * One entity's anomaly likelihood, per target, as Numenta's HTM computes it (Ahmad, Lavin, Purdy and Agha,
 * "Unsupervised real-time anomaly detection for streaming data", Neurocomputing 2017, eq. 2-4), on the
 * entity's standardised residuals instead of HTM's prediction error.
 *
 * <p>The raw score of an event is a = |z|, z = (error - rolling mean) / rolling std of the one-step error
 * (see {@link RollingError}), so it carries no unit: the same rule reads a temperature and a request latency.
 * The mean m of the last {@link #SHORT_WINDOW} scores says how the entity's errors are now. A long-window
 * Gaussian of m (mean mu, std sigma over about {@link #LONG_WINDOW} events, a plain running mean while fewer
 * have been seen) says what they usually are; as in Numenta's code (nupic anomaly_likelihood.py fits its
 * normal to the moving averages, not to the raw scores) it is m's own spread, so the averaging and the
 * entity's autocorrelation are accounted for. The likelihood is L = 1 - Q((m - mu) / sigma), Q the Gaussian
 * tail: how improbable the recent errors are given the errors the entity made before. One wild error or a
 * run of moderately large ones both raise it; an entity whose errors are often large has a wide sigma and
 * needs more. Unlike Numenta's code the tail is one-sided: errors smaller than usual are no anomaly. mu and
 * sigma are those before the current score, so an anomaly does not dilute itself.
 *
 * @param count          scores seen
 * @param mean           long-window mean of m, per target
 * @param meanSq         long-window mean of m^2, per target
 * @param recent         the last SHORT_WINDOW scores, a ring: score i is at [(i % SHORT_WINDOW) * targets + t]
 * @param lastLikelihood the likelihood at the previous score, per target (0 before any)
 */
public record AnomalyLikelihood(long count, float[] mean, float[] meanSq, float[] recent, float[] lastLikelihood) {
    /** Ahmad et al.'s W': the short window whose mean is compared with the long one. */
    public static final int SHORT_WINDOW = 10;
    /** Ahmad et al.'s W (one month of 5-minute readings), as the window of an exponentially weighted mean. */
    public static final int LONG_WINDOW = 8640;
    /**
     * nupic's estimationSamples: the Gaussian must have seen this many short-window means before its tail
     * probabilities may raise an alert (nupic reports 0.5 until then).
     */
    public static final int ESTIMATION_SAMPLES = 100;

    /** Whether the long-window Gaussian has seen enough to judge (see {@link #ESTIMATION_SAMPLES}). */
    public boolean estimated() {
        return count >= ESTIMATION_SAMPLES;
    }

    public static AnomalyLikelihood empty(int targets) {
        return new AnomalyLikelihood(0, new float[targets], new float[targets], new float[SHORT_WINDOW * targets],
                new float[targets]);
    }

    /** Whether this state's arrays have the lengths {@code targets} implies (a damaged checkpoint may not). */
    public boolean fits(int targets) {
        return count >= 0 && mean.length == targets && meanSq.length == targets && recent.length == SHORT_WINDOW * targets
                && lastLikelihood.length == targets;
    }

    /** The state after one more vector of standardised residuals, and the likelihood of each target. */
    public record Update(AnomalyLikelihood next, double[] likelihood) {
    }

    public Update observe(double[] z) {
        int targets = mean.length;
        long n = count + 1;
        float[] m = mean.clone();
        float[] sq = meanSq.clone();
        float[] r = recent.clone();
        double[] likelihood = new double[targets];
        float[] last = new float[targets];
        int slot = (int) (count % SHORT_WINDOW);
        int inWindow = (int) Math.min(n, SHORT_WINDOW);
        double alpha = 1.0 / Math.min(n, LONG_WINDOW);
        for (int t = 0; t < targets; t++) {
            double a = Math.abs(z[t]);
            r[slot * targets + t] = (float) a;
            double recentMean = 0;
            for (int i = 0; i < inWindow; i++) {
                recentMean += r[i * targets + t];
            }
            recentMean /= inWindow;
            likelihood[t] = count == 0 ? 0.5 : likelihood(recentMean, mean[t], std(t));
            last[t] = (float) likelihood[t];
            m[t] = (float) (mean[t] + alpha * (recentMean - mean[t]));
            sq[t] = (float) (meanSq[t] + alpha * (recentMean * recentMean - meanSq[t]));
        }
        return new Update(new AnomalyLikelihood(n, m, sq, r, last), likelihood);
    }

    /** 1 - Q((x - mu) / sigma): 0.5 at the mean, towards 1 far above it; 0.5 when sigma is 0 (no evidence). */
    static double likelihood(double x, double mu, double sigma) {
        if (!(sigma > 0)) {
            return 0.5;
        }
        return 1 - 0.5 * erfc((x - mu) / sigma / Math.sqrt(2));
    }

    private double std(int t) {
        return Math.sqrt(Math.max(0.0, (double) meanSq[t] - (double) mean[t] * mean[t]));
    }

    /** Complementary error function, fractional error below 1.2e-7 (Numerical Recipes' erfcc, Chebyshev fit). */
    static double erfc(double x) {
        double z = Math.abs(x);
        double t = 1.0 / (1.0 + 0.5 * z);
        double r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
                + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
                + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? r : 2 - r;
    }

    public AnomalyLikelihood copy() {
        return new AnomalyLikelihood(count, mean.clone(), meanSq.clone(), recent.clone(), lastLikelihood.clone());
    }
}
