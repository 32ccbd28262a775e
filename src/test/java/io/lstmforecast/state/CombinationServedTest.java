package io.lstmforecast.state;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lstmforecast.config.Combine;
import io.lstmforecast.event.Event;
import io.lstmforecast.event.Forecast;
import io.lstmforecast.model.Baseline;
import io.lstmforecast.model.CellKind;
import io.lstmforecast.model.bundle.ModelBundle;
import io.lstmforecast.model.bundle.RandomBundles;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.IntToDoubleFunction;
import org.junit.jupiter.api.Test;

/** The online combination as the job serves it: through {@link EntityForecaster}, one entity, event by event. */
class CombinationServedTest {
    private static final ModelBundle MODEL = RandomBundles.random(CellKind.LSTM, List.of("value"), 8, 1, 3, 11);

    private static List<Forecast> run(ForecastPolicy policy, IntToDoubleFunction value, int events) {
        EntityForecaster f = new EntityForecaster(MODEL.model(), policy);
        EntityState[] state = new EntityState[1];
        Forecast[] out = new Forecast[1];
        List<Forecast> all = new ArrayList<>();
        for (int i = 0; i < events; i++) {
            Event e = new Event("a", 1_000_000L * i, new float[] {(float) value.applyAsDouble(i)}, null);
            f.advance(state, new Event[] {e}, 1, out, a -> {});
            all.add(out[0]);
        }
        return all;
    }

    /** Mean squared k-step error over events [from, to) of the forecasts {@code pick} takes from each record. */
    private static double mse(List<Forecast> fs, int k, int from, java.util.function.Function<Forecast, float[]> pick) {
        double sum = 0;
        for (int i = from; i < fs.size(); i++) {
            double e = fs.get(i).actual()[0] - pick.apply(fs.get(i - k))[k - 1];
            sum += e * e;
        }
        return sum / (fs.size() - from);
    }

    @Test
    void theServedForecastIsTheWeightedMixOfModelAndBaselineAtEveryStep() {
        Random r = new Random(1);
        double[] v = new double[300];
        for (int i = 0; i < v.length; i++) {
            v[i] = Math.sin(i / 5.0) + 0.3 * r.nextGaussian();
        }
        for (Forecast f : run(ForecastPolicy.DEFAULT, i -> v[i], v.length)) {
            float[] w = f.weight();
            assertEquals(3, w.length);
            for (int k = 0; k < 3; k++) {
                assertTrue(w[k] >= 0 && w[k] <= 1, "weight " + w[k]);
                float mix = w[k] * f.modelForecast()[k] + (1 - w[k]) * f.baselineForecast()[k];
                assertEquals(mix, f.forecast()[k], 0f, "step " + (k + 1));
            }
        }
    }

    @Test
    void onNoiseTheModelBeatsConstantVelocityAndIsServed() {
        // Constant velocity extrapolates the noise (one-step error variance 6 against about 1 for a forecast near 0).
        Random r = new Random(2);
        double[] v = new double[700];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextGaussian();
        }
        List<Forecast> fs = run(ForecastPolicy.DEFAULT.withBaseline(Baseline.CONSTANT_VELOCITY), i -> v[i], v.length);
        for (int i = 400; i < v.length; i++) {
            for (float w : fs.get(i).weight()) {
                assertTrue(w > 0.9, "event " + i + ": " + w);
            }
        }
        for (int k = 1; k <= 3; k++) {
            double served = mse(fs, k, 400, Forecast::forecast);
            double model = mse(fs, k, 400, Forecast::modelForecast);
            double baseline = mse(fs, k, 400, Forecast::baselineForecast);
            assertTrue(model < baseline, "step " + k + ": the model wins here");
            assertTrue(served <= 1.01 * model, "step " + k + ": served " + served + " model " + model);
        }
    }

    @Test
    void onASmoothSeriesPersistenceBeatsTheRandomModelAndIsServed() {
        List<Forecast> fs = run(ForecastPolicy.DEFAULT, i -> 3 + Math.sin(i / 40.0), 700);
        for (int i = 400; i < fs.size(); i++) {
            for (float w : fs.get(i).weight()) {
                assertTrue(w < 0.1, "event " + i + ": " + w);
            }
        }
        for (int k = 1; k <= 3; k++) {
            double served = mse(fs, k, 400, Forecast::forecast);
            double baseline = mse(fs, k, 400, Forecast::baselineForecast);
            double model = mse(fs, k, 400, Forecast::modelForecast);
            assertTrue(baseline < model, "step " + k + ": persistence wins here");
            assertTrue(served <= 1.01 * baseline, "step " + k + ": served " + served + " baseline " + baseline);
        }
    }

    @Test
    void combineModelServesTheModelAndCombineBaselineTheBaseline() {
        IntToDoubleFunction v = i -> Math.sin(i / 7.0);
        List<Forecast> model = run(ForecastPolicy.DEFAULT.withCombine(Combine.MODEL), v, 50);
        List<Forecast> baseline = run(ForecastPolicy.DEFAULT.withCombine(Combine.BASELINE), v, 50);
        for (int i = 0; i < 50; i++) {
            assertNull(model.get(i).weight(), "no combination: no weights in the record");
            assertNull(model.get(i).modelForecast());
            assertArrayEquals(
                    baseline.get(i).baselineForecast(), baseline.get(i).forecast());
            assertArrayEquals(new float[3], baseline.get(i).weight());
            assertArrayEquals(model.get(i).forecast(), baseline.get(i).modelForecast(), "the same model either way");
        }
    }

    @Test
    void withoutABaselineTheModelIsServedWhateverCombineSays() {
        for (Forecast f : run(ForecastPolicy.DEFAULT.withBaseline(Baseline.NONE), i -> Math.sin(i / 7.0), 30)) {
            assertNull(f.weight());
            assertNull(f.baselineForecast());
        }
    }
}
