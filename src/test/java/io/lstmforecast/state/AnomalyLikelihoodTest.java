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
        AnomalyLikelihood.Update u = l[0].observe(new double[] {z});
        l[0] = u.next();
        return u.likelihood()[0];
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
        // At the 11th score the 100 has left the ten-score window: m = 1, L = Phi((1 - 29.9968) / 26.0406) = Phi(-1.11352)
        // = 0.132742.
        assertEquals(0.132742, observe(l, 1), 1e-5);
    }

    @Test
    void theGaussianTailIsAccurateFarOut() {
        // Q(4.2649) = 1e-5: the default threshold 0.99999 is 4.26 long-window standard deviations.
        assertEquals(1e-5, 1 - AnomalyLikelihood.likelihood(4.264891, 0, 1), 1e-10);
        assertEquals(0.5, AnomalyLikelihood.likelihood(3, 3, 2), 1e-7);
    }

    @Test
    void aLevelShiftInANoisySeriesRaisesOneLikelihoodAlertAndTheStationaryPartNone() {
        ModelBundle b = RandomBundles.random(CellKind.LSTM, List.of("value"), 8, 1, 1, 3);
        EntityForecaster f = new EntityForecaster(b.model(), ForecastPolicy.DEFAULT);
        Random rnd = new Random(5);
        List<Alert> alerts = new ArrayList<>();
        EntityState[] state = new EntityState[1];
        Forecast[] out = new Forecast[1];
        for (int i = 0; i < 3000; i++) {
            float v = (float) (Math.sin(i / 10.0) + 0.1 * rnd.nextGaussian() + (i >= 2500 ? 5 : 0));
            f.advance(state, new Event[] {new Event("a", 1000L * i, new float[] {v}, null)}, 1, out, alerts::add);
        }
        assertEquals(1, alerts.size(), "one alert for the shift: " + alerts);
        Alert a = alerts.get(0);
        assertTrue(a.eventTime() >= 2_500_000L && a.eventTime() < 2_510_000L, "at the shift, not before: " + a.eventTime());
        assertTrue(a.likelihood() >= ForecastPolicy.DEFAULT_LIKELIHOOD, "carries its likelihood " + a.likelihood());
    }
}
