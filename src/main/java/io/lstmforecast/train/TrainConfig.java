package io.lstmforecast.train;

/**
 * Hyper-parameters of a training run; a fixed seed reproduces it.
 *
 * @param window     steps per training window (truncated back-propagation through time)
 * @param validation fraction of each series' end held out for early stopping
 * @param patience   epochs without a better validation loss before stopping
 * @param clipNorm   the gradient's global L2 norm is scaled down to at most this
 * @param residual   learn each target's change from its last value (targets must be input columns)
 * @param rollout    the last this-many steps of every window run closed-loop, fed the model's own
 *                   forecasts as the job's recursive horizon does (0: teacher forcing throughout)
 */
public record TrainConfig(int hidden, int layers, int window, int epochs, int batchSize, double learningRate,
                          long seed, double validation, int patience, double clipNorm, boolean residual, int rollout) {
}
