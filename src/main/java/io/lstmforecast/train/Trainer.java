package io.lstmforecast.train;

import java.io.PrintStream;
import java.util.ArrayList;
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
 * With a rollout, the last steps of each window run closed-loop on the model's own forecasts, so
 * the recursive multi-step horizon is what gets trained, not only the one-step prediction.
 */
public final class Trainer {
    private final TrainConfig config;
    private final PrintStream progress;

    public Trainer(TrainConfig config, PrintStream progress) {
        this.config = config;
        this.progress = progress;
    }

    /** The result: the best model (by validation loss), its normalisation, and the losses. */
    public record Result(LstmRegressor model, Normalisation norm, double trainLoss, double validationLoss, int epochs) {
    }

    /**
     * Mean and std of the inputs, and of what the head predicts (the targets, or their changes for a
     * residual model), fitted on the training part only.
     */
    public record Normalisation(double[] featureMean, double[] featureStd, double[] targetMean, double[] targetStd) {
    }

    /** One window: normalised inputs and, per step, the normalised value the head should output. */
    record Window(double[][] x, double[][] y) {
    }

    /**
     * Trains on {@code data}, holding out the last {@code validation} fraction of every series.
     *
     * @param targetColumns the input column of each target, or null when the targets are not inputs
     *                      (then neither residual heads nor rollout apply)
     */
    public Result train(Series data, int[] targetColumns) {
        int[] residualColumns = config.residual() ? targetColumns : null;
        List<double[][]> trainIn = new ArrayList<>();
        List<double[][]> trainOut = new ArrayList<>();
        List<double[][]> valIn = new ArrayList<>();
        List<double[][]> valOut = new ArrayList<>();
        for (int s = 0; s < data.inputs().size(); s++) {
            double[][] in = data.inputs().get(s);
            double[][] out = heads(in, data.targets().get(s), residualColumns);
            int cut = (int) Math.round(in.length * (1 - config.validation()));
            trainIn.add(java.util.Arrays.copyOfRange(in, 0, cut));
            trainOut.add(java.util.Arrays.copyOfRange(out, 0, cut));
            valIn.add(java.util.Arrays.copyOfRange(in, cut, in.length));
            valOut.add(java.util.Arrays.copyOfRange(out, cut, out.length));
        }
        return fit(data, trainIn, trainOut, valIn, valOut, targetColumns);
    }

    /** Trains on {@code train} and selects the epoch on a separate {@code validation} set (e.g. a data set's val split). */
    public Result train(Series train, Series validation, int[] targetColumns) {
        int[] residualColumns = config.residual() ? targetColumns : null;
        List<double[][]> trainOut = new ArrayList<>();
        List<double[][]> valOut = new ArrayList<>();
        for (int s = 0; s < train.inputs().size(); s++) {
            trainOut.add(heads(train.inputs().get(s), train.targets().get(s), residualColumns));
        }
        for (int s = 0; s < validation.inputs().size(); s++) {
            valOut.add(heads(validation.inputs().get(s), validation.targets().get(s), residualColumns));
        }
        return fit(train, train.inputs(), trainOut, validation.inputs(), valOut, targetColumns);
    }

    private Result fit(Series data, List<double[][]> trainIn, List<double[][]> trainOut, List<double[][]> valIn,
                       List<double[][]> valOut, int[] targetColumns) {
        Random random = new Random(config.seed());
        Normalisation norm = new Normalisation(mean(trainIn), std(trainIn), mean(trainOut), std(trainOut));
        List<Window> train = windows(trainIn, trainOut, norm);
        List<Window> validation = windows(valIn, valOut, norm);
        if (train.isEmpty()) {
            throw new IllegalArgumentException("no training window of " + config.window() + " steps: the series are too short");
        }
        LstmRegressor model = new LstmRegressor(data.featureCount(), config.hidden(), config.layers(), data.targetCount(),
                config.seed());
        LstmRegressor.Feedback feedback = config.rollout() > 0 && targetColumns != null
                ? new LstmRegressor.Feedback(Math.max(1, config.window() - config.rollout()), targetColumns, config.residual(),
                        norm.featureMean(), norm.featureStd(), norm.targetMean(), norm.targetStd())
                : null;
        Adam adam = new Adam(model.params.length, config.learningRate());
        double[] best = model.params.clone();
        double bestLoss = Double.POSITIVE_INFINITY;
        double trainLoss = Double.NaN;
        int stale = 0;
        int epoch = 0;
        long start = System.nanoTime();
        while (epoch < config.epochs() && stale < config.patience()) {
            Collections.shuffle(train, random);
            double sum = 0;
            for (int b = 0; b < train.size(); b += config.batchSize()) {
                List<Window> batch = train.subList(b, Math.min(train.size(), b + config.batchSize()));
                double[] grad = new double[model.params.length];
                sum += lossAndGradient(model, batch, feedback, grad) * batch.size();
                clip(grad, config.clipNorm());
                adam.step(model.params, grad);
            }
            trainLoss = sum / train.size();
            double valLoss = validation.isEmpty() ? trainLoss : lossAndGradient(model, validation, feedback, null);
            epoch++;
            if (valLoss < bestLoss) {
                bestLoss = valLoss;
                best = model.params.clone();
                stale = 0;
            } else {
                stale++;
            }
            report(epoch, trainLoss, valLoss, bestLoss, start);
        }
        progress.println();
        System.arraycopy(best, 0, model.params, 0, best.length);
        return new Result(model, norm, trainLoss, bestLoss, epoch);
    }

    /** Per step t, what the head must output: target at t+1, or its change from t for residual columns. */
    private static double[][] heads(double[][] in, double[][] targets, int[] residualColumns) {
        double[][] out = new double[in.length - 1][];
        for (int t = 0; t + 1 < in.length; t++) {
            out[t] = targets[t + 1].clone();
            if (residualColumns != null) {
                for (int k = 0; k < out[t].length; k++) {
                    out[t][k] -= in[t][residualColumns[k]];
                }
            }
        }
        double[][] padded = new double[in.length][];
        System.arraycopy(out, 0, padded, 0, out.length);
        padded[in.length - 1] = null;
        return padded;
    }

    /** Mean squared error over the windows (all steps, all targets); adds its gradient when {@code grad} is given. */
    static double lossAndGradient(LstmRegressor model, List<Window> windows, LstmRegressor.Feedback feedback, double[] grad) {
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
            for (int start = 0; start + w <= usable; start += Math.max(1, w / 2)) {
                double[][] wx = new double[w][];
                double[][] wy = new double[w][];
                for (int t = 0; t < w; t++) {
                    wx[t] = scale(x[start + t], n.featureMean(), n.featureStd());
                    wy[t] = scale(y[start + t], n.targetMean(), n.targetStd());
                }
                windows.add(new Window(wx, wy));
            }
        }
        return windows;
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
        progress.printf(Locale.ROOT, "\r[%s%s] epoch %d/%d  train %.5f  val %.5f (best %.5f)  %.0fs, at most %.0fs left ",
                "#".repeat(done), ".".repeat(width - done), epoch, config.epochs(), train, val, best, elapsed, left);
        progress.flush();
    }
}
