package io.lstmforecast.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.lstmforecast.testing.SharedData;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The evaluation protocols on cases whose answers are known, and on the real files where published figures exist. */
class EvaluationProtocolTest {

    @Test
    void constantVelocityIsExactOnAStraightWalkAndFdeIsTheLastError() {
        double[][] straight = new double[25][];
        for (int t = 0; t < straight.length; t++) {
            straight[t] = new double[] {0.4 * t, -0.2 * t};
        }
        EthUcy.Result r = EthUcy.evaluate(List.<double[][]>of(straight), EthUcy::constantVelocity);
        assertEquals(6, r.windows(), "25 frames give 6 windows of 20");
        assertEquals(0.0, r.ade(), 1e-12);
        EthUcy.Result still = EthUcy.evaluate(List.<double[][]>of(straight), obs -> {
            double[][] p = new double[EthUcy.PREDICTED][];
            java.util.Arrays.fill(p, obs[EthUcy.OBSERVED - 1]);
            return p;
        });
        // Standing still at the last observed point: errors grow k * step, step = hypot(0.4, 0.2).
        double step = Math.hypot(0.4, 0.2);
        assertEquals(step * 6.5, still.ade(), 1e-9);
        assertEquals(step * 12, still.fde(), 1e-9);
    }

    @Test
    void persistenceOnTheTaxiStreamReproducesThePublishedFigure() throws Exception {
        double[] counts = NycTaxi.counts(SharedData.data().resolve("nyc_taxi/nyc_taxi.csv"));
        assertEquals(17520, counts.length, "2014-07 to 2015-06 in 30-minute buckets");
        assertEquals(0.32, NycTaxi.mape(counts, NycTaxi.persistence(counts)), 0.005);
    }

    @Test
    void persistenceOnEtth1ReproducesTheFiguresComputedIndependentlyInPython() throws Exception {
        Ett ett = Ett.load(SharedData.data().resolve("ett/ETTh1.csv"));
        // Computed with Python from the CSV: z-score on rows [0, 8640) (population std), origins 11519 .. 14399 - H.
        Ett.Errors h24 = ett.errors(ett.persistence(24), 24, Ett.VALIDATION_END, Ett.TEST_END);
        assertEquals(0.03431, h24.mse(), 5e-6);
        assertEquals(0.13941, h24.mae(), 5e-6);
        assertEquals(14399 - 24 - 11519 + 1, h24.windows());
        assertEquals(
                0.05014,
                ett.errors(ett.persistence(48), 48, Ett.VALIDATION_END, Ett.TEST_END)
                        .mse(),
                5e-6);
        assertEquals(
                0.08718,
                ett.errors(ett.persistence(168), 168, Ett.VALIDATION_END, Ett.TEST_END)
                        .mse(),
                5e-6);
    }

    @Test
    void nabFilesLoadWithTheirLabelledWindows() throws Exception {
        List<Nab> files = Nab.load(
                SharedData.data().resolve("nab/realKnownCause"),
                SharedData.data().resolve("nab/labels/combined_windows.json"));
        assertEquals(7, files.size());
        assertEquals(19, files.stream().mapToInt(f -> f.windows().size()).sum());
        Nab machine = files.stream()
                .filter(f -> f.name().startsWith("machine_temperature"))
                .findFirst()
                .orElseThrow();
        assertEquals(750, machine.probation());
    }
}
