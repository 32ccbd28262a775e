package io.lstmforecast.train;

import io.lstmforecast.model.ForecastModel;
import io.lstmforecast.model.bundle.ModelBundle;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;

/**
 * The textbook task: x(t) = sin(0.1 t), y(t) = cos(0.1 t); train on the first half, test on the second through the
 * engine, one event at a time as the job runs it, with the state carried over the whole series.
 */
public final class SinCosTask {
    /** Below this test MSE the task counts as learnt. */
    public static final double GOAL = 1e-3;

    private static final int POINTS = 2000;

    /** The trained bundle, its epochs, the test MSE on the second half and the seconds training and testing took. */
    public record Result(ModelBundle bundle, int epochs, double testMse, double seconds) {
        public boolean learnt() {
            return testMse < GOAL;
        }
    }

    private SinCosTask() {}

    public static Result run(TrainConfig config, String name, String version, PrintStream log) {
        double[][] x = new double[POINTS][1];
        double[][] y = new double[POINTS][1];
        for (int t = 0; t < POINTS; t++) {
            x[t][0] = Math.sin(0.1 * t);
            y[t][0] = Math.cos(0.1 * t);
        }
        int half = POINTS / 2;
        Series train =
                new Series(List.<double[][]>of(Arrays.copyOf(x, half)), List.<double[][]>of(Arrays.copyOf(y, half)));
        long start = System.nanoTime();
        Trainer.Result r = new Trainer(config, log).train(train, null);
        ModelBundle bundle = BundleExport.toBundle(
                r,
                name,
                version,
                List.of("sin"),
                List.of("cos"),
                1,
                false,
                "sin(t) -> cos(t+1 step), trained by `train --task sin-cos` (seed " + config.seed() + ")");
        ForecastModel model = bundle.model();
        float[][] h = new float[config.layers()][config.hidden()];
        float[][] c = new float[config.layers()][config.hidden()];
        float[] f = new float[1];
        double se = 0;
        for (int t = 0; t + 1 < POINTS; t++) {
            model.step(new float[] {(float) x[t][0]}, h, c, 1, f);
            if (t >= half) {
                double e = f[0] - y[t + 1][0];
                se += e * e;
            }
        }
        return new Result(bundle, r.epochs(), se / (POINTS - 1 - half), (System.nanoTime() - start) / 1e9);
    }
}
