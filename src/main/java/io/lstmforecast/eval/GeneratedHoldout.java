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
 * @param modelMae    per horizon step k = 1..H (index k - 1)
 * @param baselineMae likewise, for the baseline's forecasts
 * @param scored      forecasts scored at step 1
 */
public record GeneratedHoldout(double[] modelMae, double[] baselineMae, long scored) {

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
        return f;
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
        EntityForecaster forecaster = new EntityForecaster(model, policy);
        int horizon = model.horizon();
        int targets = model.targetCount();
        Map<String, EntityState> states = new HashMap<>();
        Map<String, List<Forecast>> recent = new HashMap<>();
        double[] modelSum = new double[horizon];
        double[] baselineSum = new double[horizon];
        long[] count = new long[horizon];
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
        return new GeneratedHoldout(modelMae, baselineMae, count[0] / targets);
    }
}
