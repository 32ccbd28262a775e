package io.lstmforecast.config;

/**
 * Job setting {@code alerts.method}, the residual alert rule: combined-likelihood: the most improbable of several
 * statistics of the recent errors (spike, lean, variance rise or drop) and of the hidden state's novelty,
 * Bonferroni-corrected; likelihood: HTM's anomaly likelihood of the mean recent |error|; sigma: the error leaves N
 * rolling standard deviations. See state.AnomalyLikelihood.
 */
public enum AlertMethod {
    COMBINED_LIKELIHOOD,
    LIKELIHOOD,
    SIGMA
}
