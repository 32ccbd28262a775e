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

    /** One score z with a hidden state that never moves (its novelty stays 0, and its tail 0.5: no evidence). */
    private static double observe(AnomalyLikelihood[] l, double z, boolean combined) {
        return observe(l, z, 0, combined);
    }

    private static double observe(AnomalyLikelihood[] l, double z, float hidden, boolean combined) {
        AnomalyLikelihood.Update u = l[0].observe(new double[] {z}, new float[] {hidden}, combined);
        l[0] = u.next();
        return u.likelihood()[0];
    }

    @Test
    void theCombinedLikelihoodMatchesAHandComputedExample() {
        AnomalyLikelihood[] l = {AnomalyLikelihood.empty(1, 1)};
        // Statistics of the newest scores: spike = mean |z| of the last 3, lean = mean z of the last 30,
        // variance = ln(mean z^2 of the last 30 + 0.001); each against its own long-window Gaussian.
        // 1st (z = 1): spike 1, lean 1, variance ln(1.001) = 0.0009995; nothing seen before: 0.
        assertEquals(0, observe(l, 1, true), 0);
        // 2nd (z = 3): spike 2, lean 2, variance ln(5.001) = 1.609638; every long-window std is 0, every tail 0.5, so
        // L = 1 - min(1, 6 * 0.5) = 0. The Gaussians now: spike and lean mean 1.5, std 0.5; variance mean 0.805319,
        // std 0.804319.
        assertEquals(0, observe(l, 3, true), 0);
        // 3rd (z = -4): spike 8/3, (8/3 - 1.5) / 0.5 = 2.333 stds up: Q = 0.0098153. Lean (1 + 3 - 4) / 3 = 0,
        // 3 stds down: Q(3) = 0.0013499. Variance ln(26/3 + 0.001) = 2.159600, 1.6838 stds up: Q = 0.046114, and the
        // other tails are above 0.5; the hidden state has not moved, its novelty's tail is 0.5. The smallest of the six
        // tails is the lean's: L = 1 - 6 * 0.0013499 = 0.991901.
        assertEquals(0.991901, observe(l, -4, true), 1e-5);
        assertEquals(0.991901, l[0].lastLikelihood()[0], 1e-5);
    }

    @Test
    void theStateNoveltyMatchesAHandComputedExample() {
        AnomalyLikelihood[] l = {AnomalyLikelihood.empty(1, 1)};
        // One watched unit h; z = 0 throughout, so the five error tails stay 0.5 and the novelty's tail decides.
        // novelty() holds [m, s, smoothed d]; d = (h - m)^2 / s before m and s learn (0 while s is 0); smoothed with
        // weight 2/31; m and s are plain running means while fewer than 8640 events have been seen.
        // 1st (h = 1): d = 0; m = 1, s = 0 (a first squared distance from nothing is no evidence).
        observe(l, 0, 1, true);
        assertNovelty(l[0], 1, 0, 0);
        // 2nd (h = 3): s is 0, d = 0; then s = (0 + 4) / 2 = 2, m = (1 + 3) / 2 = 2.
        observe(l, 0, 3, true);
        assertNovelty(l[0], 2, 2, 0);
        // 3rd (h = 2): d = 0 / 2 = 0; s = 2 + (0 - 2) / 3 = 4/3, m = 2.
        observe(l, 0, 2, true);
        assertNovelty(l[0], 2, 4 / 3.0, 0);
        // 4th (h = 6): d = 16 / (4/3) = 12, smoothed 2/31 * 12 = 0.774194; s = 4/3 + (16 - 4/3) / 4 = 5, m = 3. The
        // novelty's Gaussian has seen 0, 0, 0: no evidence yet, L = 1 - min(1, 6 * 0.5) = 0.
        assertEquals(0, observe(l, 0, 6, true), 0);
        assertNovelty(l[0], 3, 5, 0.774194);
        // 5th (h = 3): d = 0, smoothed 0.774194 * 29/31 = 0.724246. Its Gaussian over 0, 0, 0, 0.774194: mean
        // 0.193548, std sqrt(0.599376 / 4 - 0.193548^2) = 0.335236; (0.724246 - 0.193548) / 0.335236 = 1.58306
        // stds up, Q = 0.056704: L = 1 - 6 * 0.056704 = 0.659775.
        assertEquals(0.659775, observe(l, 0, 3, true), 1e-5);
        assertNovelty(l[0], 3, 4, 0.724246);
    }

    private static void assertNovelty(AnomalyLikelihood l, double m, double s, double smoothed) {
        assertEquals(m, l.novelty()[0], 1e-6, "m");
        assertEquals(s, l.novelty()[1], 1e-6, "s");
        assertEquals(smoothed, l.novelty()[2], 1e-6, "smoothed d");
    }

    @Test
    void aHiddenStateThatMovesSomewhereNewRaisesTheCombinedLikelihoodWhileTheErrorsStayOrdinary() {
        // The same 2100 scores z ~ N(0, 1) three times: with a hidden state that never moves, with 16 units jittering
        // around 0.2 throughout, and with the units jittering around 0.2 and then, from score 2000 on, around 0.5.
        List<Integer> still = combinedAlarms(i -> 0);
        List<Integer> jitter = combinedAlarms(i -> 0.2);
        List<Integer> moved = combinedAlarms(i -> i < 2000 ? 0.2 : 0.5);
        assertEquals(still, jitter, "a state that jitters where it always has adds no alarm to the errors' own");
        assertTrue(jitter.stream().noneMatch(i -> i >= 2000), "nothing new after 2000: " + jitter);
        List<Integer> after = moved.stream().filter(i -> i >= 2000).toList();
        assertTrue(!after.isEmpty() && after.get(0) < 2010, "the move is seen within ten scores: " + moved);
        assertEquals(still, moved.stream().filter(i -> i < 2000).toList(), "and before it, the same as without");
    }

    /** Scores at which the combined likelihood reaches the default threshold, for 16 units around {@code level}. */
    private static List<Integer> combinedAlarms(java.util.function.IntToDoubleFunction level) {
        Random errors = new Random(11);
        Random units = new Random(12);
        AnomalyLikelihood l = AnomalyLikelihood.empty(1, 16);
        List<Integer> alarms = new ArrayList<>();
        for (int i = 0; i < 2100; i++) {
            float[] h = new float[16];
            for (int j = 0; j < h.length; j++) {
                double centre = level.applyAsDouble(i);
                h[j] = centre == 0 ? 0 : (float) (centre + 0.05 * units.nextGaussian());
            }
            AnomalyLikelihood.Update u = l.observe(new double[] {errors.nextGaussian()}, h, true);
            if (l.estimated() && u.likelihood()[0] >= io.lstmforecast.config.Alerts.DEFAULT.likelihood()) {
                alarms.add(i);
            }
            l = u.next();
        }
        return alarms;
    }

    @Test
    void theLikelihoodMatchesAHandComputedExample() {
        AnomalyLikelihood[] l = {AnomalyLikelihood.empty(1, 1)};
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
        AnomalyLikelihood[] l = {AnomalyLikelihood.empty(1, 1)};
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
            assertTrue(
                    a.likelihood() >= io.lstmforecast.config.Alerts.DEFAULT.likelihood(),
                    "carries its likelihood " + a.likelihood());
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
        // The calm lasts: once the cool-down is over, the model's state, held somewhere new, may raise a second alert.
        assertTrue(combined.size() == 1 || combined.size() == 2, "one alert for the calm, or two: " + combined);
        assertTrue(combined.size() == 1 || combined.get(1).eventTime() > 2_700_000L, "the second after the cool-down");
        assertTrue(
                combined.get(0).eventTime() >= 2_500_000L && combined.get(0).eventTime() < 2_600_000L,
                "within 100 events of the change: " + combined.get(0).eventTime());
        assertTrue(combined.get(0).likelihood() >= io.lstmforecast.config.Alerts.DEFAULT.likelihood());
        assertEquals(List.of(), alerts(likelihoodRule(), calm), "smaller errors are no anomaly to a mean of |z|");
    }

    @Test
    void aSingleModerateSpikeIsCaughtByTheCombinedLikelihoodAndAveragedAwayByHtms() {
        // Noise of std 0.1 that the (random) model cannot forecast, one value 8 stds off: the mean of three |z| reaches
        // a tail of about 1e-6, the mean of ten |z| stays short of 1e-5.
        java.util.function.BiFunction<Integer, Double, Double> spike = (i, v) -> i == 2500 ? v + 0.8 : v;
        // The random model's own residuals: the combination would serve the baseline for this unforecastable noise.
        List<Alert> combined =
                alerts(ForecastPolicy.DEFAULT.withCombine(io.lstmforecast.config.Combine.MODEL), 0, spike);
        List<Alert> atSpike = combined.stream()
                .filter(a -> a.eventTime() >= 2_500_000L && a.eventTime() <= 2_502_000L)
                .toList();
        assertEquals(1, atSpike.size(), "one alert at the spike or within the two events after it: " + combined);
        // The novelty of this random model's state, driven by noise alone, reaches the threshold once in the 2400
        // scored events before it (at 1292): the smoothed distance has a heavier upper tail than the Gaussian it is
        // judged against, so the budget of 1e-5 is nominal (docs/EVALUATION.md).
        assertTrue(combined.size() <= 2, "at most one other: " + combined);
        assertEquals(
                List.of(),
                alerts(ForecastPolicy.DEFAULT, 0, (i, v) -> v).stream()
                        .filter(a -> a.eventTime() >= 2_500_000L)
                        .toList(),
                "nothing at 2500 without the spike");
        assertEquals(List.of(), alerts(likelihoodRule(), 0, spike), "one error in ten is averaged away");
        assertEquals(
                1, alerts(likelihoodRule(), 0, (i, v) -> i == 2500 ? v + 1 : v).size(), "a 10-std spike it catches");
    }

    @Test
    void theLikelihoodRoundTripsInFormat7AndStateFromFormat6RestoresWithAFreshOne() throws Exception {
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
        byte[] v7 = LegacyLayout.write(7, state[0]);
        AnomalyLikelihood l = state[0].likelihood();
        AnomalyLikelihood back = EntityStateSerializer.INSTANCE
                .deserialize(new org.apache.flink.core.memory.DataInputDeserializer(v7))
                .likelihood();
        assertEquals(199, l.count(), "300 events, 299 errors, scored from the 101st on");
        assertEquals(l.count(), back.count());
        assertTrue(
                java.util.Arrays.equals(l.mean(), back.mean())
                        && java.util.Arrays.equals(l.meanSq(), back.meanSq())
                        && java.util.Arrays.equals(l.recent(), back.recent())
                        && java.util.Arrays.equals(l.lastLikelihood(), back.lastLikelihood())
                        && java.util.Arrays.equals(l.novelty(), back.novelty()),
                "format 7 keeps all of it");
        AnomalyLikelihood current = EntityStateSerializer.INSTANCE
                .deserialize(
                        new org.apache.flink.core.memory.DataInputDeserializer(SkillTrackerTest.serialize(state[0])))
                .likelihood();
        assertTrue(
                java.util.Arrays.equals(l.mean(), current.mean())
                        && java.util.Arrays.equals(l.meanSq(), current.meanSq())
                        && java.util.Arrays.equals(l.recent(), current.recent())
                        && java.util.Arrays.equals(l.lastLikelihood(), current.lastLikelihood())
                        && java.util.Arrays.equals(l.novelty(), current.novelty())
                        && l.count() == current.count(),
                "and so does the current format");
        assertEquals(8 + 2, l.novelty().length, "the model's 8 units, s and the smoothed novelty");
        // Format 6 wrote the same fields but the novelty, which it did not have, and the byte that says how the
        // seasonal times are written; its arrays held four statistics, which this release does not read as its five.
        byte[] v6 = LegacyLayout.write(6, state[0]);
        EntityState restored =
                EntityStateSerializer.INSTANCE.deserialize(new org.apache.flink.core.memory.DataInputDeserializer(v6));
        assertEquals(0, restored.likelihood().count());
        EntityState[] next = {restored};
        f.advance(next, new Event[] {new Event("a", 300_000L, new float[] {0}, null)}, 1, out, none::add);
        assertTrue(next[0].likelihood().fits(1, 8), "sized for the model on the next event");
        assertEquals(state[0].steps(), restored.steps());
        assertEquals(state[0].intervals().observed(), restored.intervals().observed(), "the rest of the state is kept");
    }

    /** HTM's likelihood rule, at the same threshold and cool-down as the default, on the random model's residuals. */
    private static ForecastPolicy likelihoodRule() {
        io.lstmforecast.config.Alerts d = io.lstmforecast.config.Alerts.DEFAULT;
        return ForecastPolicy.DEFAULT
                .withCombine(io.lstmforecast.config.Combine.MODEL)
                .withAlerts(new io.lstmforecast.config.Alerts(
                        io.lstmforecast.config.AlertMethod.LIKELIHOOD,
                        d.sigmas(),
                        d.likelihood(),
                        d.warmup(),
                        d.cooldown()));
    }
}
