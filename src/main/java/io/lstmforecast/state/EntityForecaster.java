package io.lstmforecast.state;

import io.lstmforecast.event.Alert;
import io.lstmforecast.event.Event;
import io.lstmforecast.event.Forecast;
import io.lstmforecast.model.ForecastModel;
import io.lstmforecast.model.bundle.ModelSpec;
import java.util.List;
import java.util.function.Consumer;

/**
 * Advances entities by one event each with a model and produces their forecasts. For a batch of events of different
 * entities: gathers the entities' h and c and the events' input rows into one batch, runs one model step for all of
 * them, then for each event lets every stage of the entity's state advance ({@link Stages#ALL}, in order) and builds
 * its forecast record.
 *
 * <p>Independent of Flink, so it can be tested and benchmarked alone. One instance per operator instance (it owns the
 * batch buffers).
 */
public final class EntityForecaster {
    private final Setup setup;
    private final List<String> compatibleWith;
    private final int[] targetFeature;
    private final MemoryStage memory;
    private final CombinationStage combination;
    private final Stage<?>[] stages;
    private final Rows rows;
    private final ForecastRecords records;
    private final Step step = new Step();
    /** Which stages restarted while the current entity's state was fitted; read by the stages fitted after them. */
    private final boolean[] restarted = new boolean[Stages.SLOTS];

    private final Stage.Restarts restarts = kind -> restarted[kind.index()];
    private final RecentMean coverage = new RecentMean();
    private final RecentMean skill = new RecentMean();

    public EntityForecaster(ForecastModel model, ForecastPolicy policy) {
        ModelSpec spec = model.spec();
        this.setup = Stages.setup(model, policy);
        this.compatibleWith = spec.stateCompatibleWith() == null ? List.of() : spec.stateCompatibleWith();
        this.targetFeature = new int[spec.targets().size()];
        for (int t = 0; t < targetFeature.length; t++) {
            targetFeature[t] = spec.features().indexOf(spec.targets().get(t));
            if (targetFeature[t] < 0) {
                throw new IllegalArgumentException("target '" + spec.targets().get(t) + "' of model " + setup.modelId()
                        + " is not among its features " + spec.features()
                        + ", so events carry no actual value to score");
            }
        }
        this.stages = Stages.build(setup).toArray(new Stage<?>[0]);
        this.memory = (MemoryStage) stages[Stages.ALL.indexOf(Stages.MEMORY)];
        this.combination = (CombinationStage) stages[Stages.ALL.indexOf(Stages.COMBINATION)];
        this.rows = new Rows(model);
        this.records = new ForecastRecords(setup);
    }

    /** name@version, stored with each state it writes. */
    public String modelId() {
        return setup.modelId();
    }

    /** The job-wide prior of the combination weights, as this instance has learnt it (kept in operator state). */
    public PopulationPrior prior() {
        return combination.prior();
    }

    /** Continues from {@code prior} (restored from operator state, or the previous model's of the same horizon). */
    public void usePrior(PopulationPrior prior) {
        combination.usePrior(prior);
    }

    /** Serves the combination by {@code rule} from now on, with a fresh prior (the job serves the default rule). */
    public void useRule(CombinationRule rule) {
        combination.useRule(rule);
    }

    public int featureCount() {
        return setup.features();
    }

    /** Share of recent one-step actual values (first target) inside their published interval; NaN before any. */
    public double realisedCoverage() {
        return coverage.value();
    }

    /** Mean one-step skill (first target) of the recent forecasts against the baseline; NaN before any. */
    public double recentSkill() {
        return skill.value();
    }

    /**
     * Applies {@code events[i]} to {@code states[i]} for i < n (each a different entity), writes the new states back
     * into {@code states} and the forecasts into {@code out}, and passes any residual alerts to {@code alerts}.
     */
    public void advance(EntityState[] states, Event[] events, int n, Forecast[] out, Consumer<Alert> alerts) {
        rows.ensureCapacity(n);
        for (int b = 0; b < n; b++) {
            states[b] = fit(adopt(states[b]));
            rows.gather(b, states[b].memory(), events[b]);
        }
        rows.step(n);
        step.rows = rows;
        step.alerts = alerts;
        for (int b = 0; b < n; b++) {
            EntityState before = states[b];
            float[] actual = actual(events[b]);
            step.start(b, events[b], actual, before, previousError(before.memory(), actual), rows.forecast(b));
            Object[] next = new Object[Stages.SLOTS];
            for (Stage<?> stage : stages) {
                next[stage.kind().index()] = advance(stage, before, step);
            }
            states[b] = new EntityState(setup.modelId(), next);
            out[b] = records.build(step, states[b]);
            if (step.scoredOneStep) {
                coverage.add(step.coveredOneStep ? 1 : 0);
            }
            float[] s = out[b].skill();
            if (s != null) {
                skill.add(s[0]);
            }
        }
    }

    private static <S> S advance(Stage<S> stage, EntityState before, Step step) {
        return stage.advance(before.get(stage.kind()), step);
    }

    /**
     * Makes a stored state usable by this model. A state this model wrote is used as it is. A state of another model is
     * kept only if this model declares that model's state compatible ({@code state_compatible_with}) and the shapes
     * agree; otherwise each stage does what a swap does to it ({@link Stage#swapped}): the model's memory is re-warmed
     * from the entity's kept inputs or starts from zeros, statistics of the old model's forecasts restart, what belongs
     * to the entity carries over.
     */
    EntityState adopt(EntityState s) {
        if (s == null) {
            Object[] values = new Object[Stages.SLOTS];
            for (Stage<?> stage : stages) {
                values[stage.kind().index()] = stage.fresh();
            }
            return new EntityState(setup.modelId(), values);
        }
        boolean sameShapes = memory.fits(s.memory());
        if (sameShapes && setup.modelId().equals(s.modelId())) {
            return s;
        }
        if (sameShapes && declaredCompatible(s.modelId())) {
            return s.withModelId(setup.modelId());
        }
        Object[] values = new Object[Stages.SLOTS];
        for (Stage<?> stage : stages) {
            values[stage.kind().index()] = swapped(stage, s);
        }
        return new EntityState(setup.modelId(), values);
    }

    private static <S> S swapped(Stage<S> stage, EntityState s) {
        return stage.swapped(s.get(stage.kind()));
    }

    private boolean declaredCompatible(String oldModelId) {
        String oldVersion = oldModelId.substring(oldModelId.indexOf('@') + 1);
        return compatibleWith.contains(oldModelId) || compatibleWith.contains(oldVersion);
    }

    /**
     * Each stage's value of the shape this model and policy need ({@link Stage#fit}): a restored state may come from
     * another horizon or setting, from an older format, or be damaged; what does not fit restarts. Runs for every event,
     * so a state that fits is returned as it is.
     */
    private EntityState fit(EntityState s) {
        Object[] values = null;
        for (Stage<?> stage : stages) {
            int i = stage.kind().index();
            Object stored = s.value(i);
            Object fitted = fit(stage, s);
            restarted[i] = fitted != stored;
            if (fitted != stored) {
                values = values == null ? s.values() : values;
                values[i] = fitted;
            }
        }
        return values == null ? s : new EntityState(s.modelId(), values);
    }

    private <S> S fit(Stage<S> stage, EntityState s) {
        return stage.fit(s.get(stage.kind()), restarts);
    }

    /** actual - (the one-step forecast served at the entity's previous event), or null when there is none. */
    private float[] previousError(Memory m, float[] actual) {
        if (m.steps() == 0 || m.lastForecast().length != actual.length) {
            return null;
        }
        float[] error = new float[actual.length];
        for (int t = 0; t < actual.length; t++) {
            error[t] = actual[t] - m.lastForecast()[t];
        }
        return error;
    }

    private float[] actual(Event e) {
        float[] a = new float[targetFeature.length];
        for (int t = 0; t < a.length; t++) {
            a[t] = e.features()[targetFeature[t]];
        }
        return a;
    }
}
