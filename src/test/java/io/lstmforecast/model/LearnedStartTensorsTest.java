package io.lstmforecast.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lstmforecast.model.bundle.ModelBundle;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The optional h0 and c0 of a bundle: absent means zeros, present they must fit the network. */
class LearnedStartTensorsTest {
    private static final ModelBundle TRACKS = ModelBundle.read(Path.of("jobs/tracks/model"));

    /** The shipped tracks model's tensors without its learnt start, and with {@code a} as {@code name}. */
    private static Map<String, NpyArray> with(String name, NpyArray a) {
        String rnn = TRACKS.spec().prefixesOrDefault().rnn();
        Map<String, NpyArray> w = new LinkedHashMap<>(TRACKS.weights());
        w.remove(rnn + ForecastModels.INITIAL_H);
        w.remove(rnn + ForecastModels.INITIAL_C);
        w.put(rnn + name, a);
        return w;
    }

    @Test
    void aBundleWithoutAStartStartsFromZeros() {
        ForecastModel m = ModelBundle.read(Path.of("jobs/sensors/model")).model();
        assertArrayEquals(new float[m.numLayers() * m.hiddenSize()], m.startH());
        assertArrayEquals(new float[m.numLayers() * m.hiddenSize()], m.startC());
    }

    @Test
    void theShippedTracksModelCarriesItsLearntStart() {
        String rnn = TRACKS.spec().prefixesOrDefault().rnn();
        ForecastModel m = TRACKS.model();
        assertArrayEquals(TRACKS.weights().get(rnn + ForecastModels.INITIAL_H).data(), m.startH());
        assertArrayEquals(TRACKS.weights().get(rnn + ForecastModels.INITIAL_C).data(), m.startC());
        assertTrue(m.startH()[0] != 0, "a learnt h0, not zeros");
    }

    @Test
    void aStartIsReadLayerMajor() {
        int layers = TRACKS.spec().numLayers();
        int hidden = TRACKS.spec().hiddenSize();
        float[] h0 = new float[layers * hidden];
        float[] c0 = new float[layers * hidden];
        for (int i = 0; i < h0.length; i++) {
            h0[i] = i / 100f;
            c0[i] = -i / 100f;
        }
        Map<String, NpyArray> w = with(ForecastModels.INITIAL_H, NpyArray.of(h0, layers, hidden));
        w.put(TRACKS.spec().prefixesOrDefault().rnn() + ForecastModels.INITIAL_C, NpyArray.of(c0, layers, hidden));
        ForecastModel m = ForecastModels.build(TRACKS.spec(), w);
        assertArrayEquals(h0, m.startH());
        assertArrayEquals(c0, m.startC());
    }

    @Test
    void aStartOfTheWrongShapeOrNotFiniteOrAloneAsC0IsRefused() {
        int layers = TRACKS.spec().numLayers();
        int hidden = TRACKS.spec().hiddenSize();
        ModelFormatException shape = assertThrows(
                ModelFormatException.class,
                () -> ForecastModels.checkTensors(
                        TRACKS.spec(),
                        with(ForecastModels.INITIAL_H, NpyArray.of(new float[hidden + 1], layers, hidden + 1))));
        assertTrue(shape.getMessage().contains("h0"), shape.getMessage());
        float[] nan = new float[layers * hidden];
        nan[3] = Float.NaN;
        ModelFormatException notFinite = assertThrows(
                ModelFormatException.class,
                () -> ForecastModels.checkTensors(
                        TRACKS.spec(), with(ForecastModels.INITIAL_H, NpyArray.of(nan, layers, hidden))));
        assertTrue(notFinite.getMessage().contains("finite"), notFinite.getMessage());
        ModelFormatException alone = assertThrows(
                ModelFormatException.class,
                () -> ForecastModels.checkTensors(
                        TRACKS.spec(),
                        with(ForecastModels.INITIAL_C, NpyArray.of(new float[layers * hidden], layers, hidden))));
        assertTrue(alone.getMessage().contains("c0"), alone.getMessage());
    }
}
