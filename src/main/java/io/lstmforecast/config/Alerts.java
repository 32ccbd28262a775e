package io.lstmforecast.config;

import java.io.Serializable;

/**
 * Job settings {@code alerts.*}: which rule raises residual alerts, and when.
 *
 * @param sigmas     sigma rule: an alert fires when |error - mean| exceeds this many rolling standard deviations
 * @param likelihood likelihood rule: an alert fires when the anomaly likelihood rises to this value or above
 * @param warmup     errors an entity must have before it can alert (its statistics must mean something)
 * @param cooldown   events after an alert during which the entity raises no other (0: none): one incident, one alert
 */
public record Alerts(AlertMethod method, double sigmas, double likelihood, int warmup, int cooldown)
        implements Serializable {
    public static final Setting<AlertMethod> METHOD = Setting.named("alerts.method", AlertMethod.COMBINED_LIKELIHOOD)
            .doc(
                    "How residual alerts are raised: `combined-likelihood` (the most improbable of several statistics of the entity's standardised one-step errors, a spike, errors leaning one way, errors growing or shrinking, and of how new the model's hidden state is), `likelihood` (Numenta HTM's anomaly likelihood of the mean recent error size) or `sigma` (the error leaves `alerts.sigmas` rolling standard deviations). See [pipeline.md, alerts](pipeline.md#alerts).");
    public static final Setting<Double> SIGMAS = Setting.number("alerts.sigmas", 4.0, 0, 1000)
            .doc("Sigma rule's threshold in rolling standard deviations (above 0).");
    public static final Setting<Double> LIKELIHOOD = Setting.number("alerts.likelihood", 0.99999, 0, 1)
            .doc(
                    "Likelihood rules: an alert fires when the likelihood rises to this value from below, i.e. when the recent errors are rarer than 1 in 100,000 for this entity at the default (the false-alarm budget in [EVALUATION.md](EVALUATION.md); for `combined-likelihood` shared by its six tails).");
    public static final Setting<Integer> WARMUP = Setting.whole("alerts.warmup", 50, 1, 1_000_000)
            .doc("Errors an entity needs before it can alert (every rule).");
    public static final Setting<Integer> COOLDOWN = Setting.whole("alerts.cooldown", 200, 0, 1_000_000)
            .doc(
                    "Events after an alert during which the entity raises no other, so one incident makes one alert (`0`: every excursion alerts); the error statistics keep learning meanwhile. 200 was chosen on a validation corpus ([EVALUATION.md](EVALUATION.md)).");
    public static final Alerts DEFAULT = new Alerts(
            METHOD.fallback(), SIGMAS.fallback(), LIKELIHOOD.fallback(), WARMUP.fallback(), COOLDOWN.fallback());

    public static Alerts read(SettingsTree t) {
        return new Alerts(t.get(METHOD), t.get(SIGMAS), t.get(LIKELIHOOD), t.get(WARMUP), t.get(COOLDOWN));
    }

    public Alerts {
        java.util.Objects.requireNonNull(method, METHOD.key());
        SIGMAS.checkFloor(sigmas);
        Setting.require(sigmas > 0, SIGMAS.key(), "must be positive");
        LIKELIHOOD.checkFloor(likelihood);
        Setting.require(
                likelihood > 0.5 && likelihood < 1,
                LIKELIHOOD.key(),
                "must lie between 0.5 and 1 (e.g. 0.99999: an alert when the recent errors are a 1-in-100000 event), not "
                        + likelihood);
        WARMUP.checkFloor(warmup);
        COOLDOWN.checkFloor(cooldown);
    }
}
