package io.lstmforecast.state;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lstmforecast.event.Event;
import io.lstmforecast.event.Forecast;
import io.lstmforecast.model.CellKind;
import io.lstmforecast.model.bundle.ModelBundle;
import io.lstmforecast.model.bundle.RandomBundles;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One allowed but extreme value (50 or more of the feature's standard deviations) must not blind its entity: each error's
 * effect on the rolling error, the conformal intervals, the skill and the likelihood is clipped at a multiple of the
 * statistic's scale, so the interval width and the rolling MAE are back within twice their earlier values inside 20
 * events.
 */
class SpikeRecoveryTest {
    private static final int SPIKE_AT = 500;

    /** 50 sigma, and 999 sigma: just inside the default event.max-abs-z (1000), the largest spike a job lets through. */
    @ParameterizedTest
    @ValueSource(floats = {50, 999})
    void aSpikeTheGuardAllowsLeavesTheIntervalAndErrorsWithinTwiceTheirSizeInsideTwentyEvents(float sigmas) {
        ModelBundle b = RandomBundles.random(CellKind.LSTM, List.of("value"), 16, 1, 3, 11);
        float std = b.spec().normalisation().featureStd()[0];
        float mean = b.spec().normalisation().featureMean()[0];
        EntityForecaster f = new EntityForecaster(b.model(), ForecastPolicy.DEFAULT);
        EntityState[] state = new EntityState[1];
        Forecast[] row = new Forecast[1];
        Random noise = new Random(3);
        double widthBefore = 0;
        double maeBefore = 0;
        double worstWidth = 0;
        double worstMae = 0;
        for (int i = 0; i <= SPIKE_AT + 20; i++) {
            float v = i == SPIKE_AT
                    ? mean + sigmas * std
                    : (float) (mean + 0.8 * std * Math.sin(2 * Math.PI * i / 24) + 0.1 * std * noise.nextGaussian());
            f.advance(state, new Event[] {new Event("a", 60_000L * i, new float[] {v}, null)}, 1, row, a -> {});
            Forecast out = row[0];
            // No interval before every step has been scored once.
            double width = out.upper() == null ? Double.NaN : out.upper()[0] - out.lower()[0];
            if (i == SPIKE_AT - 1) {
                widthBefore = width;
                maeBefore = out.mae()[0];
            } else if (i > SPIKE_AT) {
                worstWidth = Math.max(worstWidth, width);
                worstMae = Math.max(worstMae, out.mae()[0]);
            }
        }
        assertTrue(widthBefore > 0 && maeBefore > 0, "intervals and errors are learnt before the spike");
        double widthAfter = row[0].upper()[0] - row[0].lower()[0];
        assertTrue(
                widthAfter <= 2 * widthBefore,
                "interval width 20 events after the spike " + widthAfter + " vs " + widthBefore + " before");
        assertTrue(
                row[0].mae()[0] <= 2 * maeBefore,
                "rolling MAE 20 events after the spike " + row[0].mae()[0] + " vs " + maeBefore + " before");
        // Nothing in between was blinded either: the worst width right after the spike stays within a few times.
        assertTrue(worstWidth <= 4 * widthBefore, "worst width after the spike " + worstWidth + " vs " + widthBefore);
        assertTrue(worstMae <= 4 * maeBefore, "worst MAE after the spike " + worstMae + " vs " + maeBefore);
        float[] skill = state[0].skill().skillOrNull();
        assertTrue(skill != null && Float.isFinite(skill[0]), "skill is still a number");
        assertTrue(state[0].likelihood().estimated(), "the likelihood has been scoring");
        for (float m : state[0].likelihood().meanSq()) {
            assertTrue(m < 200, "the likelihood's long-window statistics hold no huge value: " + m);
        }
    }
}
