package io.lstmforecast.state;

import java.util.Arrays;

/**
 * How the served forecasts fare against the baseline for one entity, at the first and the last horizon step: the
 * rolling MAE of each (over {@link RollingError#WINDOW} events, as the model's own rolling error), scored when the
 * actual value for the step arrives, and the skill 1 - MAE(model) / MAE(baseline) from them. Skill above 0 means the
 * model beats the baseline; 1 would be perfect forecasts.
 *
 * <p>A step-H forecast meets its actual value H events after it was made; the forecasts waiting are the entity's
 * {@link PendingForecasts}. The step-1 error of the model is the entity's one-step error. Forecasts made before the
 * tracker started are not scored: the statistics describe the model that wrote the entity's state and the baseline
 * the job has now, so they restart when either does.
 *
 * <p>Layout of the per-step arrays: [j * targets + t], j = 0 for step 1 and 1 for step H.
 *
 * @param forecasts   events seen since the tracker started
 * @param scored      forecasts scored so far at step 1 and at step H
 * @param modelMae    the model's rolling MAE at step 1 and step H
 * @param baselineMae the baseline's, likewise
 */
public record SkillTracker(long forecasts, long[] scored, float[] modelMae, float[] baselineMae) {
    /** No baseline (or state written before baselines existed). */
    public static final SkillTracker OFF = new SkillTracker(0, new long[2], new float[0], new float[0]);

    public static SkillTracker fresh(int targets) {
        return new SkillTracker(0, new long[2], new float[2 * targets], new float[2 * targets]);
    }

    public boolean isOff() {
        return modelMae.length == 0;
    }

    /** Whether the arrays have the lengths this number of targets needs. */
    public boolean fits(int targets) {
        return forecasts >= 0
                && scored.length == 2
                && modelMae.length == 2 * targets
                && baselineMae.length == 2 * targets;
    }

    /**
     * Scores the forecasts made for this event against its {@code actual} values.
     *
     * @param modelOneStepError actual - the served one-step forecast from the last event, per target; null when none
     * @param pending           the entity's pending forecasts before this event, of horizon H
     */
    public SkillTracker advance(float[] actual, float[] modelOneStepError, PendingForecasts pending) {
        int targets = actual.length;
        int horizon = pending.horizon();
        long[] n = scored.clone();
        float[] mm = modelMae.clone();
        float[] bm = baselineMae.clone();
        if (modelOneStepError != null && forecasts >= 1 && !Float.isNaN(pending.baseline(1, 0))) {
            n[0]++;
            for (int t = 0; t < targets; t++) {
                score(mm, bm, t, n[0], Math.abs(modelOneStepError[t]), Math.abs(actual[t] - pending.baseline(1, t)));
            }
        }
        if (forecasts >= horizon
                && !Float.isNaN(pending.served(horizon, 0))
                && !Float.isNaN(pending.baseline(horizon, 0))) {
            n[1]++;
            for (int t = 0; t < targets; t++) {
                score(
                        mm,
                        bm,
                        targets + t,
                        n[1],
                        Math.abs(actual[t] - pending.served(horizon, t)),
                        Math.abs(actual[t] - pending.baseline(horizon, t)));
            }
        }
        return new SkillTracker(forecasts + 1, n, mm, bm);
    }

    private static void score(
            float[] modelMae, float[] baselineMae, int i, long n, double modelError, double baselineError) {
        double w = RollingError.weight(n);
        // Each error clipped at a multiple of its own rolling MAE, as in RollingError: one glitch cannot decide skill.
        modelMae[i] = (float) (modelMae[i] + w * (RollingError.clip(modelError, modelMae[i]) - modelMae[i]));
        baselineMae[i] =
                (float) (baselineMae[i] + w * (RollingError.clip(baselineError, baselineMae[i]) - baselineMae[i]));
    }

    /** The baseline's rolling MAE at step 1 and step H; NaN for a step not scored yet; null before any score. */
    public float[] baselineMaeOrNull() {
        return scored[0] == 0 && scored[1] == 0 ? null : perStep(baselineMae);
    }

    /** 1 - MAE(model) / MAE(baseline) at step 1 and step H; NaN where not scored yet or the baseline's MAE is 0. */
    public float[] skillOrNull() {
        if (scored[0] == 0 && scored[1] == 0) {
            return null;
        }
        float[] s = new float[modelMae.length];
        for (int i = 0; i < s.length; i++) {
            s[i] = baselineMae[i] > 0 ? 1 - modelMae[i] / baselineMae[i] : Float.NaN;
        }
        return perStep(s);
    }

    /** The values with NaN for the steps not scored yet. */
    private float[] perStep(float[] values) {
        float[] out = values.clone();
        int targets = out.length / 2;
        for (int j = 0; j < 2; j++) {
            if (scored[j] == 0) {
                Arrays.fill(out, j * targets, (j + 1) * targets, Float.NaN);
            }
        }
        return out;
    }

    public SkillTracker copy() {
        return new SkillTracker(forecasts, scored.clone(), modelMae.clone(), baselineMae.clone());
    }
}
