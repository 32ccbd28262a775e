package io.lstmforecast.state;

import io.lstmforecast.config.AlertMethod;
import io.lstmforecast.config.Alerts;
import io.lstmforecast.config.Combine;
import io.lstmforecast.config.Intervals;
import io.lstmforecast.config.InvalidSettingException;
import io.lstmforecast.config.Setting;
import io.lstmforecast.config.SettingsTree;
import io.lstmforecast.model.Baseline;
import java.io.Serializable;

/**
 * How the job treats entity state, residuals and intervals, beside the model itself: the job's {@link Alerts} and
 * {@link Intervals} settings as they are, with re-warming, the baseline and how the two forecasts are combined.
 *
 * @param rewarmEvents raw inputs kept per entity so that after a swap to a model that cannot continue the old state,
 *                     the entity is re-warmed by replaying them (0: reset instead); job setting rewarm-events
 * @param alerts       which rule raises residual alerts, and when
 * @param intervals    the share of actual values the prediction intervals should contain (0: no intervals)
 * @param baseline     the naive forecast the model's skill is measured against; null: the one the model declares,
 *                     else persistence (see {@link Baseline#effective})
 * @param combine      what is served: the online combination of model and baseline, or either alone (see
 *                     {@link Combine}); with the baseline none, the model
 */
public record ForecastPolicy(int rewarmEvents, Alerts alerts, Intervals intervals, Baseline baseline, Combine combine)
        implements Serializable {
    public static final Setting<Integer> REWARM_EVENTS = Setting.whole("rewarm-events", 0, 0, 10_000)
            .doc("Inputs kept per entity to re-warm it after a swap to an incompatible model (`0`: reset instead).");
    /** See {@link Baseline#parse}; null: the model's declared baseline, else persistence. */
    public static final Setting<String> BASELINE = Setting.text("baseline", null)
            .doc(
                    "The naive forecast every forecast is compared with (default: the model's `baseline`, else `persistence`): `persistence` (the last value), `constant-velocity` (the last change continued, y + k·(y − y_prev) at step k), `seasonal:N` (the value N events before each step, N 1 to 48), `seasonal:DURATION` (the value one period before each step's time, e.g. `seasonal:1d`) or `none` (no baseline fields, no skill). A model whose `model.json` declares another baseline refuses to start with the job and is rejected as a swap. See [pipeline.md, baseline and skill](pipeline.md#baseline-and-skill).");
    /** See {@link Combine}. */
    public static final Setting<Combine> COMBINE = Setting.named("combine", Combine.ONLINE)
            .doc(
                    "What is served at each horizon step: `online` (w·model + (1 − w)·baseline, the model's weight w per step learnt from the entity's recent k-step errors of both, starting from what all entities have shown), `model` or `baseline` (either alone). With `baseline: none` the model is served. See [pipeline.md, what the job serves](pipeline.md#what-the-job-serves).");

    public static final ForecastPolicy DEFAULT =
            new ForecastPolicy(REWARM_EVENTS.fallback(), Alerts.DEFAULT, Intervals.DEFAULT, null, COMBINE.fallback());

    public ForecastPolicy {
        REWARM_EVENTS.checkFloor(rewarmEvents);
        java.util.Objects.requireNonNull(alerts, "alerts");
        java.util.Objects.requireNonNull(intervals, "intervals");
        java.util.Objects.requireNonNull(combine, COMBINE.key());
    }

    public static ForecastPolicy read(SettingsTree t) {
        Alerts alerts = Alerts.read(t);
        int rewarmEvents = t.get(REWARM_EVENTS);
        return new ForecastPolicy(rewarmEvents, alerts, Intervals.read(t), baseline(t), t.get(COMBINE));
    }

    /** The baseline setting; null when the job names none. */
    private static Baseline baseline(SettingsTree t) {
        String text = t.get(BASELINE);
        if (text == null) {
            return null;
        }
        try {
            return Baseline.parse(text);
        } catch (IllegalArgumentException e) {
            // Baseline.parse names the setting itself: "baseline must be ...".
            throw new InvalidSettingException(BASELINE.key(), e.getMessage().replaceFirst("^baseline ", ""));
        }
    }

    /** The default policy with the N-sigma alert rule and the given cool-down. */
    public static ForecastPolicy sigma(double sigmas, int cooldown) {
        Alerts d = Alerts.DEFAULT;
        return DEFAULT.withAlerts(new Alerts(AlertMethod.SIGMA, sigmas, d.likelihood(), d.warmup(), cooldown));
    }

    public ForecastPolicy withRewarmEvents(int events) {
        return new ForecastPolicy(events, alerts, intervals, baseline, combine);
    }

    public ForecastPolicy withAlerts(Alerts a) {
        return new ForecastPolicy(rewarmEvents, a, intervals, baseline, combine);
    }

    public ForecastPolicy withAlertLikelihood(double likelihood) {
        return withAlerts(new Alerts(alerts.method(), alerts.sigmas(), likelihood, alerts.warmup(), alerts.cooldown()));
    }

    public ForecastPolicy withIntervalCoverage(double coverage) {
        return new ForecastPolicy(rewarmEvents, alerts, new Intervals(coverage), baseline, combine);
    }

    public ForecastPolicy withBaseline(Baseline b) {
        return new ForecastPolicy(rewarmEvents, alerts, intervals, b, combine);
    }

    public ForecastPolicy withCombine(Combine c) {
        return new ForecastPolicy(rewarmEvents, alerts, intervals, baseline, c);
    }
}
