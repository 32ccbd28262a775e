package io.lstmforecast.train;

import java.util.List;

/**
 * Hyper-parameters of a training run; a fixed seed reproduces it.
 *
 * @param window        steps per training window (truncated back-propagation through time)
 * @param validation    fraction of each series' end held out for early stopping
 * @param patience      epochs without a better validation loss before stopping
 * @param clipNorm      the gradient's global L2 norm is scaled down to at most this
 * @param residual      learn each target's change from its last value (targets must be input columns): a correction
 *                      to persistence, or for displacement inputs a correction to constant velocity
 * @param rollout       the last this-many steps of every window run closed-loop, fed the model's own
 *                      forecasts as the job's recursive horizon does (0: teacher forcing throughout)
 * @param directHorizon 0: a one-step head (the job feeds it back, horizon_mode recursive); H > 0: a direct head
 *                      that outputs all H steps of every target at once (horizon_mode direct)
 * @param timeFeatures  calendar inputs computed from each row's time ({@link io.lstmforecast.model.TimeFeatures} keys),
 *                      appended after the features; they need a direct head
 * @param stride        steps between the starts of consecutive training windows (0: half a window)
 * @param decayOnPlateau halve the learning rate after every patience / 3 epochs without a better validation loss
 * @param epochWindows  windows drawn (shuffled) per epoch, so that large data sets cost no more per epoch (0: all)
 * @param velocityResidual a residual direct head learns the correction to constant velocity, y(t+k) - y(t) - k (y(t) -
 *                      y(t-1)), instead of the change from the last value (the job adds it to its constant-velocity
 *                      baseline's forecast)
 * @param carry         null: every training window starts from a zero state; else the state is carried from one
 *                      chunk of a series to the next, as the job carries an entity's state (see {@link Carry})
 * @param learnedStart  every sequence (a window, a series' first chunk) starts from a learnt state h0, c0 instead of
 *                      zeros: the state a fresh entity starts from in the job, so its first forecasts need not come from
 *                      a state that has seen almost nothing
 */
public record TrainConfig(
        int hidden,
        int layers,
        int window,
        int epochs,
        int batchSize,
        double learningRate,
        long seed,
        double validation,
        int patience,
        double clipNorm,
        boolean residual,
        int rollout,
        int directHorizon,
        List<String> timeFeatures,
        int stride,
        boolean decayOnPlateau,
        int epochWindows,
        boolean velocityResidual,
        Carry carry,
        boolean learnedStart) {

    /**
     * Truncated back-propagation through time over whole series: each series is cut into consecutive chunks of
     * {@code window} steps (the cuts shifted by a random offset each pass), every chunk starts from the state the
     * previous one ended in (detached: no gradient flows into it), and only steps from {@code warmup} on count in the
     * loss, the first ones coming from a zero state as an entity's first events do. A batch is one chunk of each of
     * the series, side by side; an epoch runs passes over the series until it has seen {@code epochWindows} chunks
     * (at least one pass). The validation loss streams each validation series whole, scored from {@code warmup} on.
     *
     * @param warmup steps at the start of every series not counted in the loss
     * @param noise  standard deviation of the Gaussian noise added to every element of the state (h and c) handed from
     *               one chunk to the next (0: none), so the model learns to forecast from states a little off those
     *               its training series lead to, as a long-lived entity's drifted state is
     * @param reset  chance, per chunk, that a series' state is not handed on: the next chunk starts afresh (from zeros,
     *               or the learnt start) and, as at the series' start, its first {@code warmup} steps are not counted
     *               (0: never), so the model cannot lean on memory longer than a few chunks
     */
    public record Carry(int warmup, double noise, double reset) {
        public Carry {
            if (warmup < 0) {
                throw new IllegalArgumentException("the warm-up must not be negative, not " + warmup);
            }
            if (!(noise >= 0)) {
                throw new IllegalArgumentException("the state noise must not be negative, not " + noise);
            }
            if (!(reset >= 0 && reset < 1)) {
                throw new IllegalArgumentException("the reset chance must lie in [0, 1), not " + reset);
            }
        }

        /** No reset. */
        public Carry(int warmup, double noise) {
            this(warmup, noise, 0);
        }

        /** No noise on the handed-on state, no reset. */
        public Carry(int warmup) {
            this(warmup, 0);
        }
    }

    public TrainConfig {
        timeFeatures = timeFeatures == null ? List.of() : List.copyOf(timeFeatures);
        if (directHorizon > 0 && rollout > 0) {
            throw new IllegalArgumentException("a direct head has no closed loop to roll out; use rollout 0");
        }
        if (velocityResidual && (directHorizon == 0 || !residual)) {
            throw new IllegalArgumentException("a correction to constant velocity needs a residual direct head");
        }
        if (carry != null && rollout > 0) {
            throw new IllegalArgumentException("a carried state is for heads without a closed loop; use rollout 0");
        }
        if (directHorizon == 0 && !timeFeatures.isEmpty()) {
            throw new IllegalArgumentException(
                    "time features need a direct head: a recursive horizon has no time for the fed-back steps");
        }
    }

    /** A one-step (recursive) head without time features, windows half a window apart, a constant learning rate. */
    public TrainConfig(
            int hidden,
            int layers,
            int window,
            int epochs,
            int batchSize,
            double learningRate,
            long seed,
            double validation,
            int patience,
            double clipNorm,
            boolean residual,
            int rollout) {
        this(
                hidden,
                layers,
                window,
                epochs,
                batchSize,
                learningRate,
                seed,
                validation,
                patience,
                clipNorm,
                residual,
                rollout,
                0,
                List.of(),
                0,
                false,
                0,
                false,
                null,
                false);
    }

    /** The same settings with the state carried across chunks ({@code carry}), or not (null). */
    public TrainConfig withCarry(Carry carry) {
        return with(carry, learnedStart);
    }

    /**
     * The same settings with the state every sequence starts from learnt ({@code learned}: h0 and c0 trained with the
     * weights, exported as {@code h0} and {@code c0} beside the recurrent tensors), or zeros.
     */
    public TrainConfig withLearnedStart(boolean learned) {
        return with(carry, learned);
    }

    private TrainConfig with(Carry newCarry, boolean newLearnedStart) {
        return new TrainConfig(
                hidden,
                layers,
                window,
                epochs,
                batchSize,
                learningRate,
                seed,
                validation,
                patience,
                clipNorm,
                residual,
                rollout,
                directHorizon,
                timeFeatures,
                stride,
                decayOnPlateau,
                epochWindows,
                velocityResidual,
                newCarry,
                newLearnedStart);
    }

    /** Steps the head outputs per target. */
    public int headSteps() {
        return Math.max(1, directHorizon);
    }

    /** Steps between window starts. */
    public int windowStride() {
        return stride > 0 ? stride : Math.max(1, window / 2);
    }
}
