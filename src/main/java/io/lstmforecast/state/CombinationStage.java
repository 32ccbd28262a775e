package io.lstmforecast.state;

import io.lstmforecast.config.Combine;
import java.io.IOException;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * What the job serves ({@link Combine}): with {@code combine: online}, per horizon step the convex combination
 * w_k * model + (1 - w_k) * baseline, with the entity's {@link CombinationWeights} scored on the k-step errors of both
 * (read from the ring of pending forecasts as it was before the event) and the job-wide {@link PopulationPrior} this
 * forecaster keeps. The stages after this one score, bound and alert on the served forecast.
 *
 * <p>The weights describe how the model that wrote the entity's state fares against the baseline the job has, so they
 * restart on a swap and when the baseline's history or the ring restarts.
 */
final class CombinationStage implements Stage<CombinationWeights> {
    /** The value of an entity whose state has no combination (combine: model or baseline, or no baseline). */
    static final CombinationWeights OFF = CombinationWeights.fresh(0);

    private final Combine combine;
    private final int horizon;
    private final int targets;
    private CombinationRule rule = CombinationRule.DEFAULT;
    /** The population's prior: shared by every entity this forecaster steps, kept by the operator (operator state). */
    private PopulationPrior prior;

    CombinationStage(Setup setup) {
        this.combine = setup.combine();
        this.horizon = setup.horizon();
        this.targets = setup.targets();
        this.prior = rule.freshPrior(horizon);
    }

    /** Serves by {@code rule} from now on, with a fresh prior of its kind (evaluations compare rules this way). */
    void useRule(CombinationRule rule) {
        this.rule = rule;
        this.prior = rule.freshPrior(horizon);
    }

    PopulationPrior prior() {
        return prior;
    }

    void usePrior(PopulationPrior prior) {
        this.prior = prior;
    }

    @Override
    public StageKind<CombinationWeights> kind() {
        return Stages.COMBINATION;
    }

    @Override
    public CombinationWeights fresh() {
        return combine == Combine.ONLINE ? CombinationWeights.fresh(horizon) : OFF;
    }

    @Override
    public CombinationWeights fit(CombinationWeights stored, Restarts restarted) {
        boolean fits = combine == Combine.ONLINE
                ? stored.fits(horizon) && !restarted.restarted(Stages.BASELINE) && !restarted.restarted(Stages.PENDING)
                : stored.horizon() == 0;
        return fits ? stored : fresh();
    }

    @Override
    public CombinationWeights swapped(CombinationWeights weights) {
        return fresh();
    }

    @Override
    public CombinationWeights advance(CombinationWeights weights, Step step) {
        switch (combine) {
            case MODEL:
                return weights;
            case BASELINE:
                float[] none = new float[horizon];
                serve(step, none);
                return weights;
            default:
                PendingForecasts ring = step.before.pending();
                float[] modelSq = new float[horizon];
                float[] baselineSq = new float[horizon];
                for (int k = 1; k <= horizon; k++) {
                    modelSq[k - 1] = squaredError(step.actual, ring, k, true);
                    baselineSq[k - 1] = squaredError(step.actual, ring, k, false);
                }
                CombinationWeights next = weights.advance(modelSq, baselineSq, rule.ownFrom());
                // The entity's age at this event: its scored one-step errors (the k-step forecast was made k earlier).
                prior.observe(next.scored(), modelSq, baselineSq);
                float[] w = new float[horizon];
                next.weights(prior, rule, w);
                serve(step, w);
                return next;
        }
    }

    /** forecast_k = w_k * model_k + (1 - w_k) * baseline_k, at every step and target. */
    private void serve(Step step, float[] w) {
        float[] model = step.modelForecast;
        float[] baseline = step.baselineForecast;
        float[] served = new float[model.length];
        for (int k = 0; k < horizon; k++) {
            for (int t = 0; t < targets; t++) {
                int i = k * targets + t;
                served[i] = PendingForecasts.mix(w[k], model[i], baseline[i]);
            }
        }
        step.serve(served, w);
    }

    /**
     * The squared k-step error summed over targets of the model's ({@code model}) or the baseline's forecast made k
     * events ago; NaN when none was made.
     */
    private float squaredError(float[] actual, PendingForecasts ring, int k, boolean model) {
        if (ring.horizon() != horizon) {
            return Float.NaN;
        }
        double sum = 0;
        for (int t = 0; t < targets; t++) {
            double e = actual[t] - (model ? ring.model(k, t) : ring.baseline(k, t));
            sum += e * e;
        }
        return (float) sum;
    }

    /**
     * Version 1: one-step errors scored (count), the horizon (count; 0: no combination) and the model's and the
     * baseline's rolling mean squared errors (horizon floats each).
     */
    static final class Codec implements StageCodec<CombinationWeights> {
        @Override
        public int version() {
            return 1;
        }

        @Override
        public void write(CombinationWeights w, long lastEventTime, DataOutputView out) throws IOException {
            if (w.baselineLoss().length != w.modelLoss().length) {
                w = OFF; // damaged: it would restart on the entity's next event anyway
            }
            StateIO.writeCount(w.scored(), out);
            StateIO.writeCount(w.horizon(), out);
            StateIO.writeFloats(w.modelLoss(), out);
            StateIO.writeFloats(w.baselineLoss(), out);
        }

        @Override
        public CombinationWeights read(int version, long lastEventTime, DataInputView in) throws IOException {
            long scored = StateIO.readCount(in);
            int horizon = StateIO.readLength(in);
            return new CombinationWeights(scored, StateIO.readFloats(horizon, in), StateIO.readFloats(horizon, in));
        }

        @Override
        public CombinationWeights copy(CombinationWeights w) {
            return w.copy();
        }
    }
}
