package io.lstmforecast.eval;

import io.lstmforecast.model.bundle.ModelBundle;
import io.lstmforecast.train.BundleExport;
import io.lstmforecast.train.Series;
import io.lstmforecast.train.TrainConfig;
import io.lstmforecast.train.Trainer;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

/**
 * The one forecasting method for pedestrian tracks, used unchanged on every ETH/UCY scene: an LSTM reads per-step
 * displacements (dx, dy), which transfer between scenes, and a direct head outputs, for each of the 12 future steps,
 * the correction to the last displacement, i.e. to constant velocity. Training tracks keep their orientation: 8
 * rotations scored worse on the val splits of both eth and zara1 than none. Every window starts from a learnt state
 * (exported as h0, c0), as a fresh entity then does in the job: it scored better on both val splits than zeros. Its
 * settings were chosen on the scenes' val splits only (docs/EVALUATION.md).
 */
public final class TrackMethod {
    private TrackMethod() {}

    /**
     * @param direct    a direct 12-step head; else a one-step head fed back by the job (then windows of 19 steps)
     * @param residual  the head predicts the change from the last displacement (a correction to constant velocity)
     * @param rotations orientations each training track is seen in
     * @param epochWindows training windows drawn per epoch (the scenes have 10^5 and more with their rotations)
     * @param speedScales factors each training track's displacements are also seen multiplied by (1: as recorded), so
     *                    that the corrections learnt on one scene's walking speeds and metric scale carry to another's
     * @param mirror    each training track is also seen reflected left to right (x negated)
     * @param inputNoise standard deviation (metres) of the Gaussian noise on the inputs of one more copy of every
     *                   training track, whose targets stay the recorded displacements (0: no such copy), as
     *                   annotations differ in how precisely they place a pedestrian
     * @param streamedChoice the epoch is chosen, and the run stopped, on the served ADE of the validation windows
     *                       streamed through the job's code path; else on the trainer's windowed validation loss
     * @param learnedStart every window starts from a learnt state (exported as h0, c0: a fresh entity's state in the
     *                  job) instead of zeros; an ETH/UCY window is a fresh entity that sees only 7 displacements
     */
    public record Settings(
            int hidden,
            double learningRate,
            int epochs,
            int patience,
            boolean direct,
            boolean residual,
            int rotations,
            int epochWindows,
            List<Double> speedScales,
            boolean mirror,
            double inputNoise,
            boolean streamedChoice,
            boolean learnedStart,
            long seed) {
        public Settings {
            speedScales = List.copyOf(speedScales);
            if (speedScales.isEmpty() || speedScales.stream().anyMatch(f -> !(f > 0) || Double.isInfinite(f))) {
                throw new IllegalArgumentException(
                        "speed scales must be positive numbers, at least one: " + speedScales);
            }
            if (!(inputNoise >= 0) || Double.isInfinite(inputNoise)) {
                throw new IllegalArgumentException("the input noise must be a number >= 0, not " + inputNoise);
            }
        }
    }

    public static final Settings DEFAULT =
            new Settings(32, 0.003, 30, 6, true, true, 1, 20_000, List.of(1.0), false, 0, false, true, 1);

    /** Trains on {@code train} tracks, stopping early on {@code validation} tracks; baseline constant velocity. */
    public static ModelBundle train(
            Settings s,
            List<double[][]> train,
            List<double[][]> validation,
            String name,
            String description,
            PrintStream progress) {
        int observed = EthUcy.OBSERVED - 1;
        // Direct: a window is the 7 observed displacements, its head targets the next 12; recursive: all 19 steps.
        TrainConfig c = new TrainConfig(
                s.hidden(),
                1,
                s.direct() ? observed : observed + EthUcy.PREDICTED,
                s.epochs(),
                64,
                s.learningRate(),
                s.seed(),
                0,
                s.patience(),
                1.0,
                s.residual(),
                0,
                s.direct() ? EthUcy.PREDICTED : 0,
                List.of(),
                s.direct() ? 1 : 0,
                true,
                s.epochWindows(),
                false,
                null,
                s.learnedStart());
        Function<Trainer.Result, ModelBundle> export = r -> BundleExport.toBundle(
                r,
                name,
                "1",
                List.of("dx", "dy"),
                List.of("dx", "dy"),
                EthUcy.PREDICTED,
                // Its targets are displacements: their persistence is constant velocity of the positions.
                s.residual(),
                description,
                "persistence");
        Trainer trainer = new Trainer(c, progress);
        if (s.streamedChoice()) {
            trainer = trainer.choosingBy(candidate ->
                    EthUcy.evaluate(
                            validation, EthUcy.streamed(export.apply(candidate).model()), 2)[0].ade());
        }
        Trainer.Result r = trainer.train(
                displacements(train, s.rotations(), s.speedScales(), s.mirror(), s.inputNoise(), new Random(s.seed())),
                displacements(validation, 1, List.of(1.0), false, 0, null),
                new int[] {0, 1});
        return export.apply(r);
    }

    /**
     * Displacement series of every track long enough for a window, in {@code rotations} orientations, each also
     * multiplied by every factor of {@code speedScales}, and with {@code mirror} each of those also reflected (x
     * negated): the targets are the same columns, so they change alike. With {@code inputNoise} above 0, each of
     * those copies is seen once more with Gaussian noise of that standard deviation (drawn from {@code rnd}) on its
     * inputs and its recorded displacements as the targets.
     */
    static Series displacements(
            List<double[][]> tracks,
            int rotations,
            List<Double> speedScales,
            boolean mirror,
            double inputNoise,
            Random rnd) {
        List<double[][]> rows = new ArrayList<>();
        for (double[][] t : tracks) {
            if (t.length < EthUcy.OBSERVED + EthUcy.PREDICTED) {
                continue;
            }
            for (int k = 0; k < rotations; k++) {
                double[][] d = EthUcy.displacements(t, 2 * Math.PI * k / rotations);
                for (double f : speedScales) {
                    rows.add(scaled(d, f, f));
                    if (mirror) {
                        rows.add(scaled(d, -f, f));
                    }
                }
            }
        }
        if (inputNoise == 0) {
            return Series.selfForecast(rows, new int[] {0, 1});
        }
        List<double[][]> inputs = new ArrayList<>(rows);
        List<double[][]> targets = new ArrayList<>(rows);
        for (double[][] clean : rows) {
            double[][] noisy = new double[clean.length][];
            for (int t = 0; t < clean.length; t++) {
                noisy[t] = new double[] {
                    clean[t][0] + inputNoise * rnd.nextGaussian(), clean[t][1] + inputNoise * rnd.nextGaussian()
                };
            }
            inputs.add(noisy);
            targets.add(clean);
        }
        return new Series(inputs, targets);
    }

    /** The displacements with x multiplied by {@code fx} and y by {@code fy}. */
    private static double[][] scaled(double[][] rows, double fx, double fy) {
        if (fx == 1 && fy == 1) {
            return rows;
        }
        double[][] out = new double[rows.length][];
        for (int t = 0; t < rows.length; t++) {
            out[t] = new double[] {fx * rows[t][0], fy * rows[t][1]};
        }
        return out;
    }
}
