package io.lstmforecast.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lstmforecast.event.Alert;
import io.lstmforecast.event.Event;
import io.lstmforecast.event.Forecast;
import io.lstmforecast.model.CellKind;
import io.lstmforecast.model.bundle.ModelBundle;
import io.lstmforecast.model.bundle.RandomBundles;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AnomalyLikelihoodTest {

    private static double observe(AnomalyLikelihood[] l, double z) {
        return observe(l, z, false);
    }

    private static double observe(AnomalyLikelihood[] l, double z, boolean combined) {
        AnomalyLikelihood.Update u = l[0].observe(new double[] {z}, combined);
        l[0] = u.next();
        return u.likelihood()[0];
    }

    @Test
    void theCombinedLikelihoodMatchesAHandComputedExample() {
        AnomalyLikelihood[] l = {AnomalyLikelihood.empty(1)};
        // Statistics of the newest scores: spike = mean |z| of the last 3, lean = mean z of the last 30,
        // variance = ln(mean z^2 of the last 30 + 0.001); each against its own long-window Gaussian.
        // 1st (z = 1): spike 1, lean 1, variance ln(1.001) = 0.0009995; nothing seen before: 0.
        assertEquals(0, observe(l, 1, true), 0);
        // 2nd (z = 3): spike 2, lean 2, variance ln(5.001) = 1.609638; every long-window std is 0, every tail 0.5, so
        // L = 1 - min(1, 5 * 0.5) = 0. The Gaussians now: spike and lean mean 1.5, std 0.5; variance mean 0.805319,
        // std 0.804319.
        assertEquals(0, observe(l, 3, true), 0);
        // 3rd (z = -4): spike 8/3, (8/3 - 1.5) / 0.5 = 2.333 stds up: Q = 0.0098153. Lean (1 + 3 - 4) / 3 = 0,
        // 3 stds down: Q(3) = 0.0013499. Variance ln(26/3 + 0.001) = 2.159600, 1.6838 stds up: Q = 0.046114, and the
        // other tails are above 0.5. The smallest of the five tails is the lean's:
        // L = 1 - 5 * 0.0013499 = 0.993251.
        assertEquals(0.993251, observe(l, -4, true), 1e-5);
        assertEquals(0.993251, l[0].lastLikelihood()[0], 1e-5);
    }

    @Test
    void theLikelihoodMatchesAHandComputedExample() {
        AnomalyLikelihood[] l = {AnomalyLikelihood.empty(1)};
        // Scores a = |z|, m = mean of the last (up to) ten scores; the Gaussian is fitted to m.
        // 1st (a = 1): m = 1, nothing seen before, no evidence: 0.5. Long window: mean 1, mean square 1.
        assertEquals(0.5, observe(l, -1), 0);
        // 2nd (a = 3): m = 2; the long window's std is 0: no evidence. Then mean 1.5, mean square 2.5, std 0.5.
        assertEquals(0.5, observe(l, 3), 0);
        // 3rd (a = 5): m = 3, three stds above 1.5: L = Phi(3) = 0.998650 (normal table).
        assertEquals(0.998650, observe(l, 5), 1e-6);
        // Long window now mean (1 + 2 + 3) / 3 = 2, mean square (1 + 4 + 9) / 3 = 4.667, std sqrt(0.667) = 0.8165.
        // 4th (a = 0): m = 9 / 4 = 2.25: L = Phi(0.25 / 0.8165) = Phi(0.3062) = 0.620269.
        assertEquals(0.620269, observe(l, 0), 1e-5);
        assertEquals(0.620269, l[0].lastLikelihood()[0], 1e-5);
    }

    @Test
    void theRecentMeanCoversOnlyTheShortWindow() {
        AnomalyLikelihood[] l = {AnomalyLikelihood.empty(1)};
        observe(l, 100);
        for (int i = 0; i < AnomalyLikelihood.SHORT_WINDOW - 1; i++) {
            observe(l, 1);
        }
        // m so far: 100, 50.5, 34, 25.75, 20.8, 17.5, 15.143, 13.375, 12, 10.9: mean 29.9968, std 26.0406.
        // At the 11th score the 100 has left the ten-score window: m = 1, L = Phi((1 - 29.9968) / 26.0406) =
        // Phi(-1.11352)
        // = 0.132742.
        assertEquals(0.132742, observe(l, 1), 1e-5);
    }

    @Test
    void theGaussianTailIsAccurateFarOut() {
        // Q(4.2649) = 1e-5: the default threshold 0.99999 is 4.26 long-window standard deviations.
        assertEquals(1e-5, 1 - AnomalyLikelihood.likelihood(4.264891, 0, 1), 1e-10);
        assertEquals(0.5, AnomalyLikelihood.likelihood(3, 3, 2), 1e-7);
    }

    /** Alerts over 3000 events of sin(i / 10) + 0.1 noise, changed from event 2500 on by {@code change}. */
    private static List<Alert> alerts(
            ForecastPolicy policy, java.util.function.BiFunction<Integer, Double, Double> change) {
        return alerts(policy, 1, change);
    }

    /** Alerts over 3000 events of wave * sin(i / 10) + 0.1 noise, changed from event 2500 on by {@code change}. */
    private static List<Alert> alerts(
            ForecastPolicy policy, double wave, java.util.function.BiFunction<Integer, Double, Double> change) {
        ModelBundle b = RandomBundles.random(CellKind.LSTM, List.of("value"), 8, 1, 1, 3);
        EntityForecaster f = new EntityForecaster(b.model(), policy);
        Random rnd = new Random(5);
        List<Alert> alerts = new ArrayList<>();
        EntityState[] state = new EntityState[1];
        Forecast[] out = new Forecast[1];
        for (int i = 0; i < 3000; i++) {
            double v = wave * Math.sin(i / 10.0) + 0.1 * rnd.nextGaussian();
            float changed = (float) (i >= 2500 ? change.apply(i, v) : v);
            f.advance(state, new Event[] {new Event("a", 1000L * i, new float[] {changed}, null)}, 1, out, alerts::add);
        }
        return alerts;
    }

    @Test
    void aLevelShiftInANoisySeriesRaisesOneAlertAndTheStationaryPartNone() {
        for (ForecastPolicy policy : List.of(ForecastPolicy.DEFAULT, likelihoodRule())) {
            List<Alert> alerts = alerts(policy, (i, v) -> v + 5);
            // The random model's errors change their character at the new level: the combined rule may see that once
            // more after its cool-down.
            int most = policy.alerts().method() == io.lstmforecast.config.AlertMethod.LIKELIHOOD ? 1 : 2;
            assertTrue(
                    alerts.size() >= 1 && alerts.size() <= most,
                    policy.alerts().method() + ": alerts for the shift: " + alerts);
            Alert a = alerts.get(0);
            assertTrue(
                    a.eventTime() >= 2_500_000L && a.eventTime() < 2_510_000L,
                    "at the shift, not before: " + a.eventTime());
            assertTrue(a.likelihood() >= ForecastPolicy.DEFAULT_LIKELIHOOD, "carries its likelihood " + a.likelihood());
        }
    }

    @Test
    void aSeriesThatTurnsCalmRaisesACombinedLikelihoodAlertWhichHtmsLikelihoodCannot() {
        // From event 2500 the series holds its last level with a twentieth of the noise: its errors shrink.
        double[] level = new double[1];
        java.util.function.BiFunction<Integer, Double, Double> calm = (i, v) -> {
            if (i == 2500) {
                level[0] = v;
            }
            return level[0] + 0.05 * (v - Math.sin(i / 10.0));
        };
        List<Alert> combined = alerts(ForecastPolicy.DEFAULT, calm);
        assertEquals(1, combined.size(), "one alert for the calm: " + combined);
        assertTrue(
                combined.get(0).eventTime() >= 2_500_000L && combined.get(0).eventTime() < 2_600_000L,
                "within 100 events of the change: " + combined.get(0).eventTime());
        assertTrue(combined.get(0).likelihood() >= ForecastPolicy.DEFAULT_LIKELIHOOD);
        assertEquals(List.of(), alerts(likelihoodRule(), calm), "smaller errors are no anomaly to a mean of |z|");
    }

    @Test
    void aSingleModerateSpikeIsCaughtByTheCombinedLikelihoodAndAveragedAwayByHtms() {
        // Noise of std 0.1 that the (random) model cannot forecast, one value 8 stds off: the mean of three |z| reaches
        // a
        // tail of about 1e-6 (L = 0.999995 with five tails), the mean of ten |z| stays short of 1e-5.
        java.util.function.BiFunction<Integer, Double, Double> spike = (i, v) -> i == 2500 ? v + 0.8 : v;
        List<Alert> combined = alerts(ForecastPolicy.DEFAULT, 0, spike);
        assertEquals(1, combined.size(), "one alert for the spike: " + combined);
        assertTrue(
                combined.get(0).eventTime() >= 2_500_000L && combined.get(0).eventTime() <= 2_502_000L,
                "at the spike or within the two events after it: "
                        + combined.get(0).eventTime());
        assertEquals(List.of(), alerts(likelihoodRule(), 0, spike), "one error in ten is averaged away");
        assertEquals(
                1, alerts(likelihoodRule(), 0, (i, v) -> i == 2500 ? v + 1 : v).size(), "a 10-std spike it catches");
    }

    @Test
    void theLikelihoodRoundTripsInFormat6AndStateFromFormat5RestoresWithAFreshOne() throws Exception {
        List<Alert> none = new ArrayList<>();
        ModelBundle b = RandomBundles.random(CellKind.LSTM, List.of("value"), 8, 1, 1, 3);
        EntityForecaster f = new EntityForecaster(b.model(), ForecastPolicy.DEFAULT);
        EntityState[] state = new EntityState[1];
        Forecast[] out = new Forecast[1];
        for (int i = 0; i < 300; i++) {
            f.advance(
                    state,
                    new Event[] {new Event("a", 1000L * i, new float[] {(float) Math.sin(i / 10.0)}, null)},
                    1,
                    out,
                    none::add);
        }
        org.apache.flink.core.memory.DataOutputSerializer bytes =
                new org.apache.flink.core.memory.DataOutputSerializer(4096);
        EntityStateSerializer.INSTANCE.serialize(state[0], bytes);
        byte[] v6 = bytes.getCopyOfBuffer();
        AnomalyLikelihood l = state[0].likelihood();
        AnomalyLikelihood back = EntityStateSerializer.INSTANCE
                .deserialize(new org.apache.flink.core.memory.DataInputDeserializer(v6))
                .likelihood();
        assertEquals(199, l.count(), "300 events, 299 errors, scored from the 101st on");
        assertEquals(l.count(), back.count());
        assertTrue(
                java.util.Arrays.equals(l.mean(), back.mean())
                        && java.util.Arrays.equals(l.meanSq(), back.meanSq())
                        && java.util.Arrays.equals(l.recent(), back.recent())
                        && java.util.Arrays.equals(l.lastLikelihood(), back.lastLikelihood()),
                "format 6 keeps all of it");
        // Format 5 has the same fields; its likelihood arrays held one statistic over ten |z|, which this release
        // does not read as its four statistics over thirty z.
        v6[0] = 5;
        EntityState restored =
                EntityStateSerializer.INSTANCE.deserialize(new org.apache.flink.core.memory.DataInputDeserializer(v6));
        assertEquals(0, restored.likelihood().count());
        assertTrue(restored.likelihood().fits(1));
        assertEquals(state[0].steps(), restored.steps());
        assertEquals(state[0].intervals().observed(), restored.intervals().observed(), "the rest of the state is kept");
    }

    /** HTM's likelihood rule, at the same threshold and cool-down as the default. */
    private static ForecastPolicy likelihoodRule() {
        io.lstmforecast.config.Alerts d = io.lstmforecast.config.Alerts.DEFAULT;
        return ForecastPolicy.DEFAULT.withAlerts(new io.lstmforecast.config.Alerts(
                io.lstmforecast.config.AlertMethod.LIKELIHOOD, d.sigmas(), d.likelihood(), d.warmup(), d.cooldown()));
    }
}
