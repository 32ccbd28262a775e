package io.lstmforecast.train;

import io.lstmforecast.model.TimeFeatures;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Trains an {@link LstmRegressor} to predict each series' targets one step ahead: normalises with
 * statistics of the training part, cuts windows, and runs Adam on the mean squared error with
 * gradient clipping and early stopping on the held-out end of every series. Every window starts
 * from zero state, as an entity does, and its first quarter only warms the state: it is not scored,
 * because the first steps of an entity cannot be predicted from its history (it has none yet).
 * A direct head is trained on all its steps at every scored step of a window; its targets may lie past the
 * window's end (within the series). With a rollout, the last steps of each window run closed-loop on the model's own forecasts, so
 * the recursive multi-step horizon is what gets trained, not only the one-step prediction.
 */
public final class Trainer {
    private final TrainConfig config;
    private final PrintStream progress;

    public Trainer(TrainConfig config, PrintStream progress) {
        this.config = config;
        this.progress = progress;
    }

    /** The result: the best model (by validation loss), its normalisation, the losses, and how it was trained. */
    public record Result(
            LstmRegressor model,
            Normalisation norm,
            double trainLoss,
            double validationLoss,
            int epochs,
            TrainConfig config) {}

    /**
     * Mean and std of the inputs (time features: 0 and 1, they enter unscaled as the job feeds them), and per target
     * of what the head predicts (the targets, or their changes for a residual model, pooled over a direct head's
     * steps), fitted on the training part only.
     */
    public record Normalisation(double[] featureMean, double[] featureStd, double[] targetMean, double[] targetStd) {}

    /** One window: normalised inputs and, per step, the normalised values the head should output. */
    record Window(double[][] x, double[][] y) {}

    /**
     * Trains on {@code data}, holding out the last {@code validation} fraction of every series.
     *
     * @param targetColumns the input column of each target, or null when the targets are not inputs
     *                      (then neither residual heads nor rollout apply)
     */
    public Result train(Series data, int[] targetColumns) {
        Series d = withTimeFeatures(data);
        List<double[][]> trainIn = new ArrayList<>();
        List<double[][]> trainOut = new ArrayList<>();
        List<double[][]> valIn = new ArrayList<>();
        List<double[][]> valOut = new ArrayList<>();
        for (int s = 0; s < d.inputs().size(); s++) {
            double[][] in = d.inputs().get(s);
            double[][] targets = d.targets().get(s);
            int cut = (int) Math.round(in.length * (1 - config.validation()));
            // Each part's head targets come from that part only: no training target looks into the held-out end.
            double[][] head = Arrays.copyOfRange(in, 0, cut);
            trainIn.add(head);
            trainOut.add(heads(head, Arrays.copyOfRange(targets, 0, cut), targetColumns));
            double[][] tail = Arrays.copyOfRange(in, cut, in.length);
            valIn.add(tail);
            valOut.add(heads(tail, Arrays.copyOfRange(targets, cut, in.length), targetColumns));
        }
        return fit(d, trainIn, trainOut, valIn, valOut, targetColumns);
    }

    /** Trains on {@code train} and selects the epoch on a separate {@code validation} set (e.g. a data set's val split). */
    public Result train(Series train, Series validation, int[] targetColumns) {
        Series t = withTimeFeatures(train);
        Series v = withTimeFeatures(validation);
        List<double[][]> trainOut = new ArrayList<>();
        List<double[][]> valOut = new ArrayList<>();
        for (int s = 0; s < t.inputs().size(); s++) {
            trainOut.add(heads(t.inputs().get(s), t.targets().get(s), targetColumns));
        }
        for (int s = 0; s < v.inputs().size(); s++) {
            valOut.add(heads(v.inputs().get(s), v.targets().get(s), targetColumns));
        }
        return fit(t, t.inputs(), trainOut, v.inputs(), valOut, targetColumns);
    }

    /** The series with each row's time features (computed by the job's own {@link TimeFeatures}) after its features. */
    private Series withTimeFeatures(Series data) {
        List<TimeFeatures> features = TimeFeatures.parseAll(config.timeFeatures());
        if (features.isEmpty()) {
            return data;
        }
        if (data.times() == null) {
            throw new IllegalArgumentException("time features " + config.timeFeatures() + " need the rows' times");
        }
        int width = TimeFeatures.width(features);
        List<double[][]> inputs = new ArrayList<>();
        float[] row = new float[width];
        for (int s = 0; s < data.inputs().size(); s++) {
            double[][] in = data.inputs().get(s);
            long[] times = data.times().get(s);
            double[][] wide = new double[in.length][];
            for (int t = 0; t < in.length; t++) {
                TimeFeatures.write(features, times[t], row, 0);
                wide[t] = Arrays.copyOf(in[t], in[t].length + width);
                for (int k = 0; k < width; k++) {
                    wide[t][in[t].length + k] = row[k];
                }
            }
            inputs.add(wide);
        }
        return new Series(inputs, data.targets(), data.times());
    }

    private Result fit(
            Series data,
            List<double[][]> trainIn,
            List<double[][]> trainOut,
            List<double[][]> valIn,
            List<double[][]> valOut,
            int[] targetColumns) {
        Random random = new Random(config.seed());
        int targets = data.targetCount();
        int timeWidth = TimeFeatures.width(TimeFeatures.parseAll(config.timeFeatures()));
        double[] featureMean = mean(trainIn);
        double[] featureStd = std(trainIn);
        for (int k = featureMean.length - timeWidth; k < featureMean.length; k++) {
            featureMean[k] = 0;
            featureStd[k] = 1;
        }
        Normalisation norm = new Normalisation(
                featureMean, featureStd, pooled(mean(trainOut), targets), pooledStd(trainOut, targets));
        List<Window> train = windows(trainIn, trainOut, norm);
        List<Window> validation = windows(valIn, valOut, norm);
        if (train.isEmpty()) {
            throw new IllegalArgumentException("no training window of " + config.window() + " steps"
                    + (config.directHorizon() > 0 ? " plus a horizon of " + config.directHorizon() : "")
                    + ": the series are too short");
        }
        LstmRegressor model = new LstmRegressor(
                data.featureCount(), config.hidden(), config.layers(), targets * config.headSteps(), config.seed());
        LstmRegressor.Feedback feedback = config.rollout() > 0 && targetColumns != null
                ? new LstmRegressor.Feedback(
                        Math.max(1, config.window() - config.rollout()),
                        targetColumns,
                        config.residual(),
                        norm.featureMean(),
                        norm.featureStd(),
                        norm.targetMean(),
                        norm.targetStd())
                : null;
        Adam adam = new Adam(model.params.length, config.learningRate());
        int decayEvery = Math.max(1, config.patience() / 3);
        double[] best = model.params.clone();
        double bestLoss = Double.POSITIVE_INFINITY;
        double trainLoss = Double.NaN;
        int stale = 0;
        int epoch = 0;
        long start = System.nanoTime();
        while (epoch < config.epochs() && stale < config.patience()) {
            Collections.shuffle(train, random);
            List<Window> epochSet = config.epochWindows() > 0 && config.epochWindows() < train.size()
                    ? train.subList(0, config.epochWindows())
                    : train;
            double sum = 0;
            for (int b = 0; b < epochSet.size(); b += config.batchSize()) {
                List<Window> batch = epochSet.subList(b, Math.min(epochSet.size(), b + config.batchSize()));
                double[] grad = new double[model.params.length];
                sum += lossAndGradient(model, batch, feedback, grad) * batch.size();
                clip(grad, config.clipNorm());
                adam.step(model.params, grad);
            }
            trainLoss = sum / epochSet.size();
            double valLoss = validation.isEmpty() ? trainLoss : lossAndGradient(model, validation, feedback, null);
            epoch++;
            if (valLoss < bestLoss) {
                bestLoss = valLoss;
                best = model.params.clone();
                stale = 0;
            } else {
                stale++;
                // Reduce on plateau: a smaller step often finds the lower loss a larger one keeps stepping over.
                if (config.decayOnPlateau() && stale % decayEvery == 0) {
                    adam.learningRate(adam.learningRate() / 2);
                }
            }
            report(epoch, trainLoss, valLoss, bestLoss, start);
        }
        progress.println();
        System.arraycopy(best, 0, model.params, 0, best.length);
        return new Result(model, norm, trainLoss, bestLoss, epoch, config);
    }

    /**
     * Per step t, what the head must output: the targets at t+1 .. t+S (S = 1 for a one-step head), step-major,
     * each less its input value at t for a residual model; null where the series ends before t+S.
     */
    private double[][] heads(double[][] in, double[][] targets, int[] targetColumns) {
        int[] residualColumns = config.residual() ? targetColumns : null;
        int steps = config.headSteps();
        int k = targets.length == 0 ? 0 : targets[0].length;
        double[][] out = new double[in.length][];
        for (int t = 0; t + steps < in.length; t++) {
            out[t] = new double[steps * k];
            for (int s = 0; s < steps; s++) {
                for (int j = 0; j < k; j++) {
                    out[t][s * k + j] = targets[t + 1 + s][j] - base(in, t, s + 1, residualColumns, j);
                }
            }
        }
        return out;
    }

    /**
     * What a head output at row t for step k adds to: nothing, the target's last value (persistence), or its last
     * value plus k times its last change (constant velocity; the last value at a series' first row, as the job's
     * baseline does at an entity's first event).
     */
    private double base(double[][] in, int t, int k, int[] residualColumns, int j) {
        if (residualColumns == null) {
            return 0;
        }
        double last = in[t][residualColumns[j]];
        return config.velocityResidual() && t > 0 ? last + k * (last - in[t - 1][residualColumns[j]]) : last;
    }

    /** Mean squared error over the windows (all steps, all targets); adds its gradient when {@code grad} is given. */
    static double lossAndGradient(
            LstmRegressor model, List<Window> windows, LstmRegressor.Feedback feedback, double[] grad) {
        double sum = 0;
        long count = 0;
        for (Window w : windows) {
            count += (long) (w.y().length - burnIn(w)) * model.outputs;
        }
        for (Window w : windows) {
            LstmRegressor.Trace tr = model.forward(w.x(), feedback);
            double[][] dy = new double[w.y().length][];
            for (int t = burnIn(w); t < w.y().length; t++) {
                dy[t] = new double[model.outputs];
                for (int k = 0; k < model.outputs; k++) {
                    double e = tr.y[t][k] - w.y()[t][k];
                    sum += e * e;
                    dy[t][k] = 2 * e / count;
                }
            }
            if (grad != null) {
                model.backward(tr, dy, feedback, grad);
            }
        }
        return sum / count;
    }

    private static int burnIn(Window w) {
        return w.y().length / 4;
    }

    private List<Window> windows(List<double[][]> in, List<double[][]> out, Normalisation n) {
        List<Window> windows = new ArrayList<>();
        int w = config.window();
        for (int s = 0; s < in.size(); s++) {
            double[][] x = in.get(s);
            double[][] y = out.get(s);
            int usable = x.length;
            while (usable > 0 && y[usable - 1] == null) {
                usable--;
            }
            for (int start = 0; start + w <= usable; start += config.windowStride()) {
                double[][] wx = new double[w][];
                double[][] wy = new double[w][];
                for (int t = 0; t < w; t++) {
                    wx[t] = scale(x[start + t], n.featureMean(), n.featureStd());
                    wy[t] = scale(y[start + t], perOutput(n.targetMean()), perOutput(n.targetStd()));
                }
                windows.add(new Window(wx, wy));
            }
        }
        return windows;
    }

    /** A per-target array repeated for each of the head's steps, in the head's step-major output order. */
    private double[] perOutput(double[] perTarget) {
        double[] r = new double[perTarget.length * config.headSteps()];
        for (int i = 0; i < r.length; i++) {
            r[i] = perTarget[i % perTarget.length];
        }
        return r;
    }

    /** Per-target means from per-output means (equal counts per output, so the mean of the means). */
    private static double[] pooled(double[] perOutput, int targets) {
        double[] r = new double[targets];
        for (int i = 0; i < perOutput.length; i++) {
            r[i % targets] += perOutput[i] / (perOutput.length / targets);
        }
        return r;
    }

    /** Per-target standard deviation over every step of a direct head (1 for a constant target). */
    private static double[] pooledStd(List<double[][]> rows, int targets) {
        double[] m = pooled(mean(rows), targets);
        double[] sq = new double[targets];
        long[] n = new long[targets];
        for (double[][] series : rows) {
            for (double[] r : series) {
                if (r == null) {
                    continue;
                }
                for (int i = 0; i < r.length; i++) {
                    double e = r[i] - m[i % targets];
                    sq[i % targets] += e * e;
                    n[i % targets]++;
                }
            }
        }
        for (int j = 0; j < targets; j++) {
            sq[j] = Math.sqrt(sq[j] / n[j]);
            if (!(sq[j] > 1e-12)) {
                sq[j] = 1;
            }
        }
        return sq;
    }

    static double[] scale(double[] v, double[] mean, double[] std) {
        double[] r = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            r[i] = (v[i] - mean[i]) / std[i];
        }
        return r;
    }

    private static double[] mean(List<double[][]> rows) {
        double[] sum = null;
        long n = 0;
        for (double[][] series : rows) {
            for (double[] r : series) {
                if (r == null) {
                    continue;
                }
                if (sum == null) {
                    sum = new double[r.length];
                }
                for (int i = 0; i < r.length; i++) {
                    sum[i] += r[i];
                }
                n++;
            }
        }
        for (int i = 0; i < sum.length; i++) {
            sum[i] /= n;
        }
        return sum;
    }

    private static double[] std(List<double[][]> rows) {
        double[] m = mean(rows);
        double[] sq = new double[m.length];
        long n = 0;
        for (double[][] series : rows) {
            for (double[] r : series) {
                if (r == null) {
                    continue;
                }
                for (int i = 0; i < r.length; i++) {
                    sq[i] += (r[i] - m[i]) * (r[i] - m[i]);
                }
                n++;
            }
        }
        for (int i = 0; i < sq.length; i++) {
            // A constant column keeps std 1 so that scaling stays finite.
            sq[i] = Math.sqrt(sq[i] / n);
            if (!(sq[i] > 1e-12)) {
                sq[i] = 1;
            }
        }
        return sq;
    }

    static void clip(double[] grad, double maxNorm) {
        double norm = 0;
        for (double g : grad) {
            norm += g * g;
        }
        norm = Math.sqrt(norm);
        if (norm > maxNorm) {
            double s = maxNorm / norm;
            for (int i = 0; i < grad.length; i++) {
                grad[i] *= s;
            }
        }
    }

    private void report(int epoch, double train, double val, double best, long start) {
        double elapsed = (System.nanoTime() - start) / 1e9;
        double left = elapsed / epoch * (config.epochs() - epoch);
        int width = 30;
        int done = (int) Math.round(width * (double) epoch / config.epochs());
        progress.printf(
                Locale.ROOT,
                "\r[%s%s] epoch %d/%d  train %.5f  val %.5f (best %.5f)  %.0fs, at most %.0fs left ",
                "#".repeat(done),
                ".".repeat(width - done),
                epoch,
                config.epochs(),
                train,
                val,
                best,
                elapsed,
                left);
        progress.flush();
    }
}
