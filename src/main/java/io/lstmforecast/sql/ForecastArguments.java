package io.lstmforecast.sql;

import io.lstmforecast.config.AlertMethod;
import io.lstmforecast.config.Alerts;
import io.lstmforecast.config.EventTime;
import io.lstmforecast.config.Intervals;
import io.lstmforecast.config.InvalidSettingException;
import io.lstmforecast.model.Baseline;
import io.lstmforecast.state.ForecastPolicy;
import java.time.Duration;

/**
 * LSTM_FORECAST's scalar arguments, as the call wrote them (null: not given, the job's default). They are the job
 * file's settings of the same names, checked by the same {@link io.lstmforecast.config.Setting}s, so a value the job
 * refuses is refused here with the same sentence.
 *
 * @param model           the bundle: a directory, a .zip or a URI ({@link ModelSource})
 * @param baseline        job setting baseline (persistence, constant-velocity, seasonal:PERIOD, none)
 * @param coverage        job setting intervals.coverage (0: no intervals)
 * @param alerts          job setting alerts.method (sigma, likelihood, combined-likelihood)
 * @param alertSigmas     job setting alerts.sigmas
 * @param alertLikelihood job setting alerts.likelihood
 * @param stateTtl        job setting state-ttl, a duration such as 1d (0: entities are never forgotten)
 * @param combine         job setting combine (online, model, baseline)
 */
record ForecastArguments(
        String model,
        String baseline,
        Double coverage,
        String alerts,
        Double alertSigmas,
        Double alertLikelihood,
        String stateTtl,
        String combine) {

    /** The forecasting policy these arguments give; throws {@link IllegalArgumentException} naming a bad one. */
    ForecastPolicy policy() {
        Alerts d = Alerts.DEFAULT;
        AlertMethod method = alerts == null ? d.method() : Alerts.METHOD.parse(alerts);
        double sigmas = alertSigmas == null ? d.sigmas() : Alerts.SIGMAS.check(alertSigmas);
        double likelihood = alertLikelihood == null ? d.likelihood() : Alerts.LIKELIHOOD.check(alertLikelihood);
        return ForecastPolicy.DEFAULT
                .withAlerts(new Alerts(method, sigmas, likelihood, d.warmup(), d.cooldown()))
                .withIntervalCoverage(
                        coverage == null ? Intervals.DEFAULT.coverage() : Intervals.COVERAGE.check(coverage))
                .withBaseline(baseline == null ? null : parseBaseline(baseline))
                .withCombine(
                        combine == null ? ForecastPolicy.COMBINE.fallback() : ForecastPolicy.COMBINE.parse(combine));
    }

    /** Event time an entity may stay silent before its state is forgotten; zero: never. */
    Duration ttl() {
        return stateTtl == null ? EventTime.STATE_TTL.fallback() : EventTime.STATE_TTL.parse(stateTtl);
    }

    private static Baseline parseBaseline(String text) {
        try {
            return Baseline.parse(text);
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingException("baseline", e.getMessage());
        }
    }
}
