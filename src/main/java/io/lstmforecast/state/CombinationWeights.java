package io.lstmforecast.state;

import java.util.Arrays;

/**
 * One entity's evidence for serving the model or the baseline at each horizon step: the rolling mean squared k-step
 * error of each (summed over the targets), scored when the step's actual values arrive.
 *
 * <p>The served forecast at step k is w_k * model_k + (1 - w_k) * baseline_k, with the exponentially weighted
 * average forecaster of Cesa-Bianchi and Lugosi ("Prediction, Learning, and Games", 2006, ch. 2) over the two
 * experts, on discounted losses made unit-free by their own scale:
 *
 * <pre>
 *   w_k = sigmoid(eta * (priorEvents * p_k(age) + n_k * (B_k - M_k) / ((B_k + M_k) / 2)))
 * </pre>
 *
 * M_k and B_k are the rolling means of the model's and the baseline's squared k-step errors over about
 * {@link RollingError#WINDOW} events, n_k = min(scored k-step errors, WINDOW) is how much evidence they hold, and
 * p_k(age) is the job-wide advantage of the model at step k shown by states of the entity's age ({@link
 * PopulationPrior}), which counts as priorEvents events; eta and priorEvents are the {@link CombinationRule}'s. So an
 * entity seen for the first time is served what the population has shown at its age, and as its own errors accumulate
 * its weights
 * follow them: towards the model or the baseline where one clearly wins (a model with half the baseline's mean squared
 * error gets w of about 0.96 once the window is full), to a mix where they tie. The scaled difference lies in
 * [-2, 2], so no series' units or single error can push a weight past what the window's evidence supports.
 *
 * @param scored      one-step errors scored so far (the k-step count is scored - (k - 1))
 * @param modelLoss   the model's rolling mean squared k-step error, [k - 1]
 * @param baselineLoss the baseline's, likewise
 */
public record CombinationWeights(long scored, float[] modelLoss, float[] baselineLoss) {
    public static CombinationWeights fresh(int horizon) {
        return new CombinationWeights(0, new float[horizon], new float[horizon]);
    }

    /** Whether the arrays have the length this horizon needs (else a swap or a damaged checkpoint restarts them). */
    public boolean fits(int horizon) {
        return scored >= 0 && modelLoss.length == horizon && baselineLoss.length == horizon;
    }

    public int horizon() {
        return modelLoss.length;
    }

    /**
     * The evidence after this event's scores: {@code modelSq[k - 1]} and {@code baselineSq[k - 1]} are the squared
     * k-step errors (summed over targets) of the forecasts made k events ago, NaN where none was made.
     */
    public CombinationWeights advance(float[] modelSq, float[] baselineSq) {
        return advance(modelSq, baselineSq, 0);
    }

    /**
     * The same, counting only forecasts made at age {@code ownFrom} or later ({@link CombinationRule#ownFrom}); the
     * one-step errors scored are counted whatever the age.
     */
    public CombinationWeights advance(float[] modelSq, float[] baselineSq, int ownFrom) {
        if (Float.isNaN(modelSq[0]) || Float.isNaN(baselineSq[0])) {
            return this;
        }
        long n = scored + 1;
        float[] m = modelLoss.clone();
        float[] b = baselineLoss.clone();
        for (int k = 1; k <= m.length; k++) {
            long count = n - (k - 1) - ownFrom;
            if (count <= 0 || Float.isNaN(modelSq[k - 1]) || Float.isNaN(baselineSq[k - 1])) {
                continue;
            }
            double w = RollingError.weight(count);
            m[k - 1] = (float) (m[k - 1] + w * (modelSq[k - 1] - m[k - 1]));
            b[k - 1] = (float) (b[k - 1] + w * (baselineSq[k - 1] - b[k - 1]));
        }
        return new CombinationWeights(n, m, b);
    }

    /** The weight of the model at each step, [k - 1], by the default rule. */
    public void weights(PopulationPrior prior, float[] out) {
        weights(prior, CombinationRule.DEFAULT, out);
    }

    /**
     * The weight of the model at each step, [k - 1], given the job-wide prior and the rule, as served ({@link
     * #quantize}). The entity's age is its scored one-step errors: one fewer than its events.
     */
    public void weights(PopulationPrior prior, CombinationRule rule, float[] out) {
        for (int k = 1; k <= modelLoss.length; k++) {
            long evidence = Math.max(0, Math.min(scored - (k - 1) - rule.ownFrom(), RollingError.WINDOW));
            double logit = rule.eta()
                    * (rule.priorEvents() * prior.advantage(scored, k)
                            + evidence * advantage(modelLoss[k - 1], baselineLoss[k - 1]));
            out[k - 1] = quantize(1 / (1 + Math.exp(-logit)));
        }
    }

    /**
     * (baseline - model) / their mean: in [-2, 2], positive where the model's squared error is the smaller; 0 where
     * both are 0.
     */
    static double advantage(double model, double baseline) {
        double scale = (model + baseline) / 2;
        return scale > 0 ? (baseline - model) / scale : 0;
    }

    /** The squared error summed over targets of a forecast at step k (row-major horizon x targets), NaN if none. */
    static float squaredError(float[] actual, float[] forecast, int k) {
        double sum = 0;
        int targets = actual.length;
        for (int t = 0; t < targets; t++) {
            double e = actual[t] - forecast[(k - 1) * targets + t];
            sum += e * e;
        }
        return (float) sum;
    }

    /** Weights are served in steps of 1/{@value #LEVELS}, so the ring of pending forecasts keeps each in a byte. */
    static final int LEVELS = 254;

    /** The byte that stands for a weight never published (NaN). */
    private static final int NONE = 255;

    /** The weight as it is served: rounded to a multiple of 1/{@value #LEVELS}. */
    static float quantize(double w) {
        return (float) Math.round(w * LEVELS) / LEVELS;
    }

    /** A served weight as one byte; NaN as {@value #NONE}. */
    static int toByte(float w) {
        return Float.isNaN(w) ? NONE : Math.round(w * LEVELS);
    }

    /** The served weight a byte stands for (the inverse of {@link #toByte} on served weights). */
    static float fromByte(int b) {
        return b == NONE ? Float.NaN : (float) b / LEVELS;
    }

    public CombinationWeights copy() {
        return new CombinationWeights(scored, modelLoss.clone(), baselineLoss.clone());
    }

    @Override
    public String toString() {
        return "CombinationWeights[scored=" + scored + ", modelLoss=" + Arrays.toString(modelLoss) + ", baselineLoss="
                + Arrays.toString(baselineLoss) + "]";
    }
}
