package io.lstmforecast.state;

/**
 * One entity's anomaly likelihood, per target, from its standardised one-step residuals z (see {@link RollingError}:
 * z = (error - rolling mean) / rolling std, so the rule carries no unit and reads a temperature and a request latency
 * alike), and from the model's hidden state. Each event updates five statistics, each against a long-window Gaussian
 * of its own values (mean mu and std sigma over about {@link #LONG_WINDOW} events, a plain running mean while fewer
 * have been seen; mu and sigma are those before the current value, so an anomaly does not dilute itself):
 *
 * <ol>
 *   <li>the mean of the last {@link #SHORT_WINDOW} |z|: Numenta's HTM likelihood (Ahmad, Lavin, Purdy and Agha,
 *       "Unsupervised real-time anomaly detection for streaming data", Neurocomputing 2017, eq. 2-4; nupic's
 *       anomaly_likelihood.py fits its normal to these moving averages, not to the raw scores, so the averaging and the
 *       entity's autocorrelation are accounted for). Its likelihood is L = 1 - Q((m - mu) / sigma), Q the Gaussian
 *       tail: one-sided, errors smaller than usual are no anomaly. This is {@code alerts.method: likelihood};</li>
 *   <li>the mean of the last {@link #SPIKE_WINDOW} |z|: a single large error, which the ten-event mean averages away;</li>
 *   <li>the mean of the last {@link #DRIFT_WINDOW} signed z: errors that lean one way, as when the series drifts away
 *       from what the model expects faster than the rolling mean of the errors follows;</li>
 *   <li>log(mean of the last {@link #DRIFT_WINDOW} z^2 + {@link #VARIANCE_FLOOR}): the recent error variance against
 *       the usual, on a log scale where a drop is as visible as a rise; a series that turns calm or stuck makes its
 *       errors shrink, which a mean of |z| cannot show far enough;</li>
 *   <li>the novelty of the model's hidden state h, the same for every target: d = the mean over h's first
 *       {@link #NOVELTY_UNITS} units of (h_j - m_j)^2, over s, where m_j is the unit's long-window mean and s the
 *       long-window mean of that mean square (both before this event); smoothed by an exponentially weighted mean over
 *       about {@link #DRIFT_WINDOW} events. h is the model's summary of the recent inputs: far from where it has been,
 *       the entity is in a context it has not been in, even while the model still forecasts the next value well (a
 *       slow drift, a changed rhythm). The Mahalanobis test for inputs unlike the training data (Lee et al., NeurIPS
 *       2018), online and against the entity's own history.</li>
 * </ol>
 *
 * The combined likelihood ({@code alerts.method: combined-likelihood}) looks at six tails: the upper tail of 2, both
 * tails of 3 and of 4, the upper tail of 5 (the HTM statistic 1 is covered by 2 and 3, it is not counted). With p the
 * smallest of the six tail probabilities, L = 1 - min(1, 6 p): Bonferroni's bound on the chance that any of the six is
 * that extreme when the entity behaves as before, so a threshold of 1 - b keeps the false-alarm budget b for the six
 * together. L is 0 when nothing is unusual (not 0.5 as for the HTM likelihood, whose L is one tail's). The rule and
 * how it was chosen: docs/EVALUATION.md.
 *
 * @param count          scores seen
 * @param mean           long-window mean of each statistic, per target: statistic s of target t at [t * STATISTICS + s]
 * @param meanSq         long-window mean of its square, same layout
 * @param recent         the last RING scores z (signed), a ring: score i is at [(i % RING) * targets + t]
 * @param lastLikelihood the likelihood (of the method that observed) at the previous score, per target (0 before any)
 * @param novelty        the hidden state's reference: the long-window means m of its first units, then s, then the
 *                       smoothed novelty (units + 2 values)
 */
public record AnomalyLikelihood(
        long count, float[] mean, float[] meanSq, float[] recent, float[] lastLikelihood, float[] novelty) {
    /** Ahmad et al.'s W': the short window whose mean |z| HTM compares with the long one. */
    public static final int SHORT_WINDOW = 10;
    /** The window of the spike statistic: three events, so one very large error passes. */
    public static final int SPIKE_WINDOW = 3;
    /** The window of the signed mean and of the variance: long enough that a lean or a calm stretch shows. */
    public static final int DRIFT_WINDOW = 30;
    /** z values kept: the longest of the windows. */
    public static final int RING = DRIFT_WINDOW;
    /** Statistics kept per target (see the class comment). */
    public static final int STATISTICS = 5;
    /** Index of the hidden state's novelty among the statistics. */
    static final int NOVELTY = 4;
    /** Units of the hidden state the novelty looks at: all of a small model's, a sample of a larger one's. */
    public static final int NOVELTY_UNITS = 16;
    /** Weight of the newest value in the smoothed novelty: an exponentially weighted mean over about 30 events. */
    static final double NOVELTY_SMOOTHING = 2.0 / (DRIFT_WINDOW + 1);
    /** Added to the mean z^2 before its log, so a perfectly flat stretch (z = 0) has a finite statistic. */
    public static final double VARIANCE_FLOOR = 1e-3;
    /**
     * Most a standardised residual counts for in the statistics: {@link RollingError#CLIP} mean |e| in units of the
     * standard deviation (mean |e| is 0.8 of it for Gaussian errors), so the ring holds |z| of at most 12.5.
     */
    public static final double Z_CLIP = RollingError.CLIP / 0.8;
    /** Tails the combined likelihood looks at, its Bonferroni factor. */
    public static final int COMBINED_TAILS = 6;
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

    /** The units of a model's hidden state (layers x hidden size) the novelty looks at. */
    public static int noveltyUnits(int stateSize) {
        return Math.min(NOVELTY_UNITS, stateSize);
    }

    /** Nothing learnt yet, for {@code targets} targets and a hidden state of which {@code units} units are watched. */
    public static AnomalyLikelihood empty(int targets, int units) {
        return new AnomalyLikelihood(
                0,
                new float[STATISTICS * targets],
                new float[STATISTICS * targets],
                new float[RING * targets],
                new float[targets],
                new float[units + 2]);
    }

    /** Whether this state's arrays have the lengths the targets and units imply (a damaged checkpoint may not). */
    public boolean fits(int targets, int units) {
        return count >= 0
                && mean.length == STATISTICS * targets
                && meanSq.length == STATISTICS * targets
                && recent.length == RING * targets
                && lastLikelihood.length == targets
                && novelty.length == units + 2;
    }

    /** The state after one more vector of standardised residuals, and the likelihood of each target. */
    public record Update(AnomalyLikelihood next, double[] likelihood) {}

    /**
     * One more vector of standardised residuals, with the model's hidden state after this event ({@code hidden}: its
     * first {@code novelty.length - 2} units or more); {@code combined}: the likelihood reported (and kept as the last)
     * is the combined one, else HTM's.
     */
    public Update observe(double[] z, float[] hidden, boolean combined) {
        int targets = lastLikelihood.length;
        long n = count + 1;
        float[] m = mean.clone();
        float[] sq = meanSq.clone();
        float[] r = recent.clone();
        float[] nov = novelty.clone();
        double novel = observeNovelty(nov, hidden);
        double[] likelihood = new double[targets];
        float[] last = new float[targets];
        int slot = (int) (count % RING);
        double alpha = 1.0 / Math.min(n, LONG_WINDOW);
        for (int t = 0; t < targets; t++) {
            // A z beyond Z_CLIP is as anomalous as one at it: clipped, it still fills every tail, but the long-window
            // Gaussians (about 8640 events) are not made blind by one glitch.
            r[slot * targets + t] = (float) Math.max(-Z_CLIP, Math.min(Z_CLIP, z[t]));
            double[] x = statistics(r, t, targets, n, novel);
            if (count == 0) {
                likelihood[t] = combined ? 0 : 0.5;
            } else if (combined) {
                double p = Math.min(tail(x[1], t, 1, 1), tail(x[NOVELTY], t, NOVELTY, 1));
                for (int s = 2; s < NOVELTY; s++) {
                    p = Math.min(p, Math.min(tail(x[s], t, s, 1), tail(x[s], t, s, -1)));
                }
                likelihood[t] = 1 - Math.min(1, COMBINED_TAILS * p);
            } else {
                likelihood[t] = 1 - tail(x[0], t, 0, 1);
            }
            last[t] = (float) likelihood[t];
            for (int s = 0; s < STATISTICS; s++) {
                int i = t * STATISTICS + s;
                m[i] = (float) (mean[i] + alpha * (x[s] - mean[i]));
                sq[i] = (float) (meanSq[i] + alpha * (x[s] * x[s] - meanSq[i]));
            }
        }
        return new Update(new AnomalyLikelihood(n, m, sq, r, last, nov), likelihood);
    }

    /**
     * The smoothed novelty after this hidden state; moves the reference in {@code nov} (means m, then s, then the
     * smoothed value). The distance is measured before m and s learn from this state, so a new context does not
     * dilute itself; it is 0 while s is (the first scored event, or a state that has never moved).
     */
    private double observeNovelty(float[] nov, float[] hidden) {
        int units = nov.length - 2;
        double sumSq = 0;
        for (int j = 0; j < units; j++) {
            double d = hidden[j] - nov[j];
            sumSq += d * d;
        }
        float s = nov[units];
        double distance = count == 0 || !(s > 0) ? 0 : sumSq / units / s;
        double smoothed = count == 0 ? distance : nov[units + 1] + NOVELTY_SMOOTHING * (distance - nov[units + 1]);
        double alpha = 1.0 / Math.min(count + 1, LONG_WINDOW);
        nov[units] = count == 0 ? 0 : (float) (s + alpha * (sumSq / units - s));
        nov[units + 1] = (float) smoothed;
        for (int j = 0; j < units; j++) {
            nov[j] = (float) (nov[j] + alpha * (hidden[j] - nov[j]));
        }
        return nov[units + 1];
    }

    /**
     * The five statistics of target t: four of its newest scores (the ring holds n of them, the newest at (n - 1) %
     * RING), and the entity's smoothed novelty.
     */
    private static double[] statistics(float[] ring, int t, int targets, long n, double novelty) {
        double[] sumAbs = new double[2];
        double sum = 0;
        double sumSq = 0;
        int drift = (int) Math.min(n, DRIFT_WINDOW);
        for (int k = 0; k < drift; k++) {
            double v = ring[(int) ((n - 1 - k) % RING) * targets + t];
            sum += v;
            sumSq += v * v;
            if (k < SHORT_WINDOW) {
                sumAbs[0] += Math.abs(v);
            }
            if (k < SPIKE_WINDOW) {
                sumAbs[1] += Math.abs(v);
            }
        }
        return new double[] {
            sumAbs[0] / Math.min(n, SHORT_WINDOW),
            sumAbs[1] / Math.min(n, SPIKE_WINDOW),
            sum / drift,
            Math.log(sumSq / drift + VARIANCE_FLOOR),
            novelty
        };
    }

    /** Q of statistic s of target t's value x in its long-window Gaussian, upper tail (side 1) or lower (side -1). */
    private double tail(double x, int t, int s, int side) {
        return 1 - likelihood(side * x, side * (double) mean[t * STATISTICS + s], std(t * STATISTICS + s));
    }

    /** 1 - Q((x - mu) / sigma): 0.5 at the mean, towards 1 far above it; 0.5 when sigma is 0 (no evidence). */
    public static double likelihood(double x, double mu, double sigma) {
        if (!(sigma > 0)) {
            return 0.5;
        }
        return 1 - 0.5 * erfc((x - mu) / sigma / Math.sqrt(2));
    }

    /**
     * The long-window std of statistic i; 0 (no evidence) when the variance is below what float rounding of E[x^2] -
     * E[x]^2 can produce, so a statistic that has not varied does not make a rounding error look like a tail.
     */
    private double std(int i) {
        double variance = (double) meanSq[i] - (double) mean[i] * mean[i];
        return variance > 1e-6 * meanSq[i] ? Math.sqrt(variance) : 0;
    }

    /** Complementary error function, fractional error below 1.2e-7 (Numerical Recipes' erfcc, Chebyshev fit). */
    static double erfc(double x) {
        double z = Math.abs(x);
        double t = 1.0 / (1.0 + 0.5 * z);
        double r = t
                * Math.exp(
                        -z * z
                                - 1.26551223
                                + t
                                        * (1.00002368
                                                + t
                                                        * (0.37409196
                                                                + t
                                                                        * (0.09678418
                                                                                + t
                                                                                        * (-0.18628806
                                                                                                + t
                                                                                                        * (0.27886807
                                                                                                                + t
                                                                                                                        * (-1.13520398
                                                                                                                                + t
                                                                                                                                        * (1.48851587
                                                                                                                                                + t
                                                                                                                                                        * (-0.82215223
                                                                                                                                                                + t
                                                                                                                                                                        * 0.17087277)))))))));
        return x >= 0 ? r : 2 - r;
    }

    public AnomalyLikelihood copy() {
        return new AnomalyLikelihood(
                count, mean.clone(), meanSq.clone(), recent.clone(), lastLikelihood.clone(), novelty.clone());
    }
}
