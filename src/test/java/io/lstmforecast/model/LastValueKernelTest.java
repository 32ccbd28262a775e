package io.lstmforecast.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.lstmforecast.model.bundle.RandomBundles;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Bench's no-op kernel: the model's shapes, every horizon step = the target's last value, state untouched. */
class LastValueKernelTest {
    @Test
    void everyHorizonStepIsTheTargetsLastValueAndTheStateIsLeftAsItWas() {
        ForecastModel model = RandomBundles.random(CellKind.LSTM, List.of("x", "y"), 8, 2, 3, 5)
                .model();
        ForecastModel noop = model.lastValueKernel();
        assertEquals(model.horizon(), noop.horizon());
        assertEquals(model.hiddenSize(), noop.hiddenSize());
        int batch = 2;
        float[] raw = {1.5f, -2f, 7f, 0.25f};
        float[][] h = {{0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f, 0.7f, 0.8f, 1, 1, 1, 1, 1, 1, 1, 1}, new float[16]};
        float[][] c = {new float[16], new float[16]};
        float[][] hBefore = {h[0].clone(), h[1].clone()};
        int targets = model.targetCount();
        float[] forecast = new float[batch * model.horizon() * targets];
        noop.step(raw, h, c, batch, forecast);
        for (int b = 0; b < batch; b++) {
            for (int k = 0; k < model.horizon(); k++) {
                for (int t = 0; t < targets; t++) {
                    int feature = model.spec()
                            .features()
                            .indexOf(model.spec().targets().get(t));
                    assertEquals(
                            raw[b * 2 + feature],
                            forecast[(b * model.horizon() + k) * targets + t],
                            "row " + b + " step " + k);
                }
            }
        }
        assertArrayEquals(hBefore[0], h[0]);
        assertArrayEquals(hBefore[1], h[1]);
        assertArrayEquals(new float[16], c[0]);
    }
}
