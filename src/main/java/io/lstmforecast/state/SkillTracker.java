package io.lstmforecast.state;

import java.util.Arrays;

/**
 * How the model fares against its baseline for one entity, at the first and the last horizon step: the rolling MAE
 * of each (over {@link RollingError#WINDOW} events, as the model's own rolling error), scored when the actual value
 * for the step arrives, and the skill 1 - MAE(model) / MAE(baseline) from them. Skill above 0 means the model beats
 * the baseline; 1 would be perfect forecasts.
 *
 * <p>A step-H forecast meets its actual value H events after it was made, so the step-H forecasts of model and
 * baseline of the last H events wait in a ring (slot = forecast count mod H). The step-1 forecast of the model is the
 * entity's last one-step forecast; the baseline's is kept here. Both describe the model that wrote the entity's state,
 * so they restart when the state does.
 *
 * <p>Layout of the per-step arrays: [j * targets + t], j = 0 for step 1 and 1 for step H.
 *
 * @param forecasts       forecasts made so far
 * @param lastBaseline    the baseline's one-step forecast made at the last event, per target (NaN: none)
 * @param pendingModel    the model's step-H forecasts of the last H events, [slot * targets + t] (NaN: none)
 * @param pendingBaseline the baseline's, likewise
 * @param scored          forecasts scored so far at step 1 and at step H
 * @param modelMae        the model's rolling MAE at step 1 and step H
 * @param baselineMae     the baseline's, likewise
 */
public record SkillTracker(
        long forecasts,
        float[] lastBaseline,
        float[] pendingModel,
        float[] pendingBaseline,
        long[] scored,
        float[] modelMae,
        float[] baselineMae) {
    /** No baseline (or state written before baselines existed). */
    public static final SkillTracker OFF =
            new SkillTracker(0, new float[0], new float[0], new float[0], new long[2], new float[0], new float[0]);

    public static SkillTracker fresh(int horizon, int targets) {
        float[] last = new float[targets];
        float[] model = new float[horizon * targets];
        float[] base = new float[horizon * targets];
        Arrays.fill(last, Float.NaN);
        Arrays.fill(model, Float.NaN);
        Arrays.fill(base, Float.NaN);
        return new SkillTracker(0, last, model, base, new long[2], new float[2 * targets], new float[2 * targets]);
    }

    public boolean isOff() {
        return lastBaseline.length == 0;
    }

    /** Whether the arrays have the lengths this horizon and number of targets need. */
    public boolean fits(int horizon, int targets) {
        return forecasts >= 0
                && lastBaseline.length == targets
                && pendingModel.length == horizon * targets
                && pendingBaseline.length == horizon * targets
                && scored.length == 2
                && modelMae.length == 2 * targets
                && baselineMae.length == 2 * targets;
    }

    /**
     * Scores the forecasts made for this event against its {@code actual} values and keeps this event's forecasts.
     *
     * @param modelOneStepError actual - the model's one-step forecast from the last event, per target; null when none
     * @param model             the model's forecast made at this event, horizon x targets row-major
     * @param baseline          the baseline's, likewise
     */
    public SkillTracker advance(float[] actual, float[] modelOneStepError, float[] model, float[] baseline) {
        int targets = actual.length;
        int horizon = pendingModel.length / targets;
        long[] n = scored.clone();
        float[] mm = modelMae.clone();
        float[] bm = baselineMae.clone();
        if (modelOneStepError != null && !Float.isNaN(lastBaseline[0])) {
            n[0]++;
            for (int t = 0; t < targets; t++) {
                score(mm, bm, t, n[0], Math.abs(modelOneStepError[t]), Math.abs(actual[t] - lastBaseline[t]));
            }
        }
        int slot = (int) (forecasts % horizon) * targets;
        if (!Float.isNaN(pendingModel[slot]) && !Float.isNaN(pendingBaseline[slot])) {
            n[1]++;
            for (int t = 0; t < targets; t++) {
                score(
                        mm,
                        bm,
                        targets + t,
                        n[1],
                        Math.abs(actual[t] - pendingModel[slot + t]),
                        Math.abs(actual[t] - pendingBaseline[slot + t]));
            }
        }
        float[] pm = pendingModel.clone();
        float[] pb = pendingBaseline.clone();
        int last = (horizon - 1) * targets;
        System.arraycopy(model, last, pm, slot, targets);
        System.arraycopy(baseline, last, pb, slot, targets);
        return new SkillTracker(forecasts + 1, Arrays.copyOf(baseline, targets), pm, pb, n, mm, bm);
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
        return new SkillTracker(
                forecasts,
                lastBaseline.clone(),
                pendingModel.clone(),
                pendingBaseline.clone(),
                scored.clone(),
                modelMae.clone(),
                baselineMae.clone());
    }
}
