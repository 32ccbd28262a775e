package io.lstmforecast.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The float activations against the exact functions in double, densely over the range gates see. */
class ActivationsTest {

    @Test
    void tanhAndSigmoidAreWithinAFewUlpsEverywhere() {
        double worstTanh = 0;
        double worstSigmoid = 0;
        for (int k = -1_200_000; k <= 1_200_000; k++) {
            float x = k * 1e-5f;
            worstTanh = Math.max(worstTanh, Math.abs(Activations.tanh(x) - Math.tanh(x)));
            worstSigmoid = Math.max(worstSigmoid, Math.abs(Activations.sigmoid(x) - 1 / (1 + Math.exp(-x))));
        }
        assertTrue(worstTanh < 5e-7, "tanh max abs error " + worstTanh);
        assertTrue(worstSigmoid < 5e-7, "sigmoid max abs error " + worstSigmoid);
    }

    @Test
    void saturatesAndKeepsSign() {
        assertEquals(1f, Activations.tanh(50f));
        assertEquals(-1f, Activations.tanh(-1e30f));
        assertEquals(0f, Activations.tanh(0f));
        assertEquals(-Activations.tanh(0.3f), Activations.tanh(-0.3f));
        assertEquals(1f, Activations.sigmoid(1e4f));
        assertEquals(0f, Activations.sigmoid(-1e4f));
        assertEquals(0.5f, Activations.sigmoid(0f));
    }

    @Test
    void arrayFormsMatchTheScalarFormOnTheirRangeOnly() {
        float[] a = new float[40];
        for (int i = 0; i < a.length; i++) {
            a[i] = (i - 20) * 0.37f;
        }
        float[] t = a.clone();
        Activations.tanh(t, 5, 35);
        float[] s = a.clone();
        Activations.sigmoid(s, 5, 35);
        for (int i = 0; i < a.length; i++) {
            boolean inside = i >= 5 && i < 35;
            assertEquals(inside ? Activations.tanh(a[i]) : a[i], t[i]);
            assertEquals(inside ? Activations.sigmoid(a[i]) : a[i], s[i]);
        }
    }
}
