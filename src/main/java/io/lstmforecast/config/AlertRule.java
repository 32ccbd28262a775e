package io.lstmforecast.config;

/**
 * The residual alert rule as the forecaster applies it: the job's {@link Alerts}, passed on by the state package's
 * policy together with the settings the forecaster needs beside it.
 */
public interface AlertRule {
    /**
     * combined-likelihood: the most improbable of several statistics of the recent errors (spike, lean, variance rise or
     * drop), Bonferroni-corrected; likelihood: HTM's anomaly likelihood of the mean recent |error|; sigma: the error
     * leaves N rolling standard deviations. See state.AnomalyLikelihood.
     */
    enum AlertMethod { COMBINED_LIKELIHOOD, LIKELIHOOD, SIGMA }

    AlertMethod alertMethod();

    /** sigma rule: an alert fires when |error - mean| exceeds this many rolling standard deviations. */
    double alertSigmas();

    /** likelihood rule: an alert fires when the anomaly likelihood rises to this value or above. */
    double alertLikelihood();

    /** Errors an entity must have before it can alert (its statistics must mean something). */
    int alertWarmup();

    /** Events after an alert during which the entity raises no other (0: none): one incident, one alert. */
    int alertCooldown();
}
