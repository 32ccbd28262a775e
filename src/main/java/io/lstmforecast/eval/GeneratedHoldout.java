package io.lstmforecast.eval;

import io.lstmforecast.event.Event;
import io.lstmforecast.event.Forecast;
import io.lstmforecast.generate.EventGenerator;
import io.lstmforecast.generate.GeneratedEvent;
import io.lstmforecast.model.ForecastModel;
import io.lstmforecast.state.EntityForecaster;
import io.lstmforecast.state.EntityState;
import io.lstmforecast.state.ForecastPolicy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A shipped model against its job's baseline on generated data it was not trained on (another seed): the events
 * stream through {@link EntityForecaster} as the job runs them, and each forecast the model and the baseline made
 * k steps ahead is scored when the entity's value k events later arrives. Mean absolute errors over all targets,
 * entities and forecasts after each entity's first {@code warmup} events (its state and history are still filling).
 *
 * <p>Besides, by the age of the entity's state when the forecast was made ({@link #AGES}, all events, no warm-up left
 * out): the MAE at step 1 of the served forecast, of the model's own and of the baseline's, which shows how the start of
 * an entity's life, its state still warming up from zeros, is served.
 *
 * @param modelMae    per horizon step k = 1..H (index k - 1): of the served forecast (the model's own with
 *                    {@code combine: model})
 * @param baselineMae likewise, for the baseline's forecasts
 * @param scored      forecasts scored at step 1
 * @param byAge       [bucket of {@link #AGES}][0: served, 1: the model's own, 2: the baseline]: MAE at step 1 (NaN
 *                    from the first bucket no entity reached on)
 */
public record GeneratedHoldout(double[] modelMae, double[] baselineMae, long scored, double[][] byAge) {
    /** The first age (events of the entity before the forecast) of each bucket of {@link #byAge}. */
    public static final int[] AGES = {0, 25, 50, 100, 200, 300, 400, 500};

    /** 1 - MAE(model) / MAE(baseline) at step k (1-based). */
    public double skill(int k) {
        return 1 - modelMae[k - 1] / baselineMae[k - 1];
    }

    public int horizon() {
        return modelMae.length;
    }

    /** The figures --json writes: MAE of model and baseline and the skill, at the first and the last horizon step. */
    public Map<String, Object> figures() {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("mae_1", modelMae[0]);
        f.put("baseline_mae_1", baselineMae[0]);
        f.put("skill_1", skill(1));
        f.put("mae_h", modelMae[horizon() - 1]);
        f.put("baseline_mae_h", baselineMae[horizon() - 1]);
        f.put("skill_h", skill(horizon()));
        f.put("forecasts", scored);
        for (int a = 0; a < AGES.length && !Double.isNaN(byAge[a][2]); a++) {
            f.put("skill_1_age_" + ageLabel(a).replace('-', '_').replace("+", "_on"), ageSkill(a, 0));
            f.put("model_skill_1_age_" + ageLabel(a).replace('-', '_').replace("+", "_on"), ageSkill(a, 1));
        }
        return f;
    }

    /** 1 - MAE / MAE(baseline) at step 1 for forecasts made at ages of bucket {@code a}: served (0) or the model's (1). */
    public double ageSkill(int a, int which) {
        return 1 - byAge[a][which] / byAge[a][2];
    }

    private static String ageLabel(int a) {
        return a + 1 < AGES.length ? AGES[a] + "-" + (AGES[a + 1] - 1) : AGES[a] + "+";
    }

    /** A Markdown table: per age bucket, the step-1 MAE of the served forecast, the model's own and the baseline's. */
    public String ageTable(String baseline) {
        StringBuilder t = new StringBuilder(String.format(
                Locale.ROOT,
                "| entity's events before the forecast | served MAE, step 1 | skill | the model alone | skill | %s MAE |%n"
                        + "|---|---|---|---|---|---|%n",
                baseline));
        for (int a = 0; a < AGES.length && !Double.isNaN(byAge[a][2]); a++) {
            t.append(String.format(
                    Locale.ROOT,
                    "| %s | %.4f | %+.3f | %.4f | %+.3f | %.4f |%n",
                    ageLabel(a),
                    byAge[a][0],
                    ageSkill(a, 0),
                    byAge[a][1],
                    ageSkill(a, 1),
                    byAge[a][2]));
        }
        return t.toString();
    }

    /** A Markdown table: per horizon step, the model's and the baseline's MAE and the skill. */
    public String table(String title, String baseline) {
        StringBuilder t = new StringBuilder(String.format(
                Locale.ROOT, "| %s: step | model MAE | %s MAE | skill |%n|---|---|---|---|%n", title, baseline));
        for (int k = 1; k <= horizon(); k++) {
            if (k == 1 || k == horizon() || k % 4 == 0) {
                t.append(String.format(
                        Locale.ROOT,
                        "| %d | %.4f | %.4f | %+.3f |%n",
                        k,
                        modelMae[k - 1],
                        baselineMae[k - 1],
                        skill(k)));
            }
        }
        return t.toString();
    }

    /** Streams {@code events} events of {@code g} (round-robin over its entities) through the model. */
    public static GeneratedHoldout run(
            ForecastModel model, ForecastPolicy policy, EventGenerator g, long events, int warmup) {
        return run(new EntityForecaster(model, policy), model, g, events, warmup);
    }

    /** The same with a forecaster made for it (one serving another combination rule, say). */
    public static GeneratedHoldout run(
            EntityForecaster forecaster, ForecastModel model, EventGenerator g, long events, int warmup) {
        int horizon = model.horizon();
        int targets = model.targetCount();
        Map<String, EntityState> states = new HashMap<>();
        Map<String, List<Forecast>> recent = new HashMap<>();
        double[] modelSum = new double[horizon];
        double[] baselineSum = new double[horizon];
        long[] count = new long[horizon];
        double[][] ageSum = new double[AGES.length][3];
        long[] ageCount = new long[AGES.length];
        EntityState[] state = new EntityState[1];
        Forecast[] out = new Forecast[1];
        for (long i = 0; i < events; i++) {
            GeneratedEvent e = g.next();
            state[0] = states.get(e.entityId());
            forecaster.advance(
                    state, new Event[] {new Event(e.entityId(), e.timestamp(), e.values(), null)}, 1, out, a -> {});
            states.put(e.entityId(), state[0]);
            Forecast now = out[0];
            if (now.baselineForecast() == null) {
                throw new IllegalArgumentException("the policy's baseline is none: there is nothing to compare with");
            }
            List<Forecast> past = recent.computeIfAbsent(e.entityId(), id -> new ArrayList<>());
            // past.get(size - k) was made k events ago; its step-k forecast is for this event.
            for (int k = 1; k <= Math.min(horizon, past.size()); k++) {
                Forecast then = past.get(past.size() - k);
                if (k == 1) {
                    int a = bucket(then.step() - 1);
                    float[] own = StreamedSeries.modelForecast(then);
                    for (int t = 0; t < targets; t++) {
                        ageSum[a][0] += Math.abs(now.actual()[t] - then.forecast()[t]);
                        ageSum[a][1] += Math.abs(now.actual()[t] - own[t]);
                        ageSum[a][2] += Math.abs(now.actual()[t] - then.baselineForecast()[t]);
                        ageCount[a]++;
                    }
                }
                if (then.step() <= warmup) {
                    continue;
                }
                for (int t = 0; t < targets; t++) {
                    int i0 = (k - 1) * targets + t;
                    modelSum[k - 1] += Math.abs(now.actual()[t] - then.forecast()[i0]);
                    baselineSum[k - 1] += Math.abs(now.actual()[t] - then.baselineForecast()[i0]);
                    count[k - 1]++;
                }
            }
            past.add(now);
            if (past.size() > horizon) {
                past.remove(0);
            }
        }
        double[] modelMae = new double[horizon];
        double[] baselineMae = new double[horizon];
        for (int k = 0; k < horizon; k++) {
            modelMae[k] = modelSum[k] / count[k];
            baselineMae[k] = baselineSum[k] / count[k];
        }
        double[][] byAge = new double[AGES.length][3];
        for (int a = 0; a < AGES.length; a++) {
            for (int j = 0; j < 3; j++) {
                byAge[a][j] = ageSum[a][j] / ageCount[a];
            }
        }
        return new GeneratedHoldout(modelMae, baselineMae, count[0] / targets, byAge);
    }

    private static int bucket(long age) {
        int a = 0;
        while (a + 1 < AGES.length && age >= AGES[a + 1]) {
            a++;
        }
        return a;
    }
}
