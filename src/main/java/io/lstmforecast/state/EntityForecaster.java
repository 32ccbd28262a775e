package io.lstmforecast.state;

import io.lstmforecast.config.AlertMethod;
import io.lstmforecast.event.Alert;
import io.lstmforecast.event.Event;
import io.lstmforecast.event.Forecast;
import io.lstmforecast.model.Baseline;
import io.lstmforecast.model.ForecastModel;
import io.lstmforecast.model.TimeFeatures;
import io.lstmforecast.model.bundle.ModelSpec;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * Advances entities by one event each with a model and produces their forecasts: gathers the
 * entities' states into batch rows, runs one model step for all of them, scores each entity's
 * previous one-step forecast against its new actual values and writes the new states back.
 *
 * <p>Independent of Flink, so it can be tested and benchmarked alone. One instance per operator
 * instance (it owns the model's scratch buffers).
 */
public final class EntityForecaster {
    private final ForecastModel model;
    private final ForecastPolicy policy;
    private final String modelName;
    private final String modelVersion;
    private final String modelId;
    private final List<String> compatibleWith;
    private final List<String> targets;
    private final int[] targetFeature;
    private final int layers;
    private final int hidden;
    /** Units of the hidden state the anomaly likelihood's novelty watches. */
    private final int noveltyUnits;

    private final int features;
    private final int eventFeatures;
    private final List<TimeFeatures> timeFeatures;
    private final int horizon;
    private final boolean headCorrectsBaseline;
    private final Baseline baseline;

    private int capacity;
    private float[][] h;
    private float[][] c;
    private float[] raw;
    private float[] forecast;
    private final RecentMean coverage = new RecentMean();
    private final RecentMean skill = new RecentMean();
    /** What every entity of this operator instance has shown about the model against the baseline, per step. */
    private PopulationPrior prior;

    public EntityForecaster(ForecastModel model, ForecastPolicy policy) {
        ModelSpec spec = model.spec();
        this.model = model;
        this.policy = policy;
        this.modelName = spec.name();
        this.modelVersion = spec.version();
        this.modelId = spec.name() + "@" + spec.version();
        this.compatibleWith = spec.stateCompatibleWith() == null ? List.of() : spec.stateCompatibleWith();
        this.targets = List.copyOf(spec.targets());
        this.targetFeature = new int[targets.size()];
        for (int t = 0; t < targetFeature.length; t++) {
            targetFeature[t] = spec.features().indexOf(targets.get(t));
            if (targetFeature[t] < 0) {
                throw new IllegalArgumentException(
                        "target '" + targets.get(t) + "' of model " + modelId + " is not among its features "
                                + spec.features() + ", so events carry no actual value to score");
            }
        }
        this.layers = model.numLayers();
        this.hidden = model.hiddenSize();
        this.noveltyUnits = AnomalyLikelihood.noveltyUnits(layers * hidden);
        this.features = model.featureCount();
        this.eventFeatures = spec.features().size();
        this.timeFeatures = spec.timeFeatureList();
        this.horizon = model.horizon();
        this.prior = new PopulationPrior(horizon);
        this.baseline = Baseline.effective(policy.baseline(), spec.baseline());
        // A direct residual head trained against a declared baseline other than persistence predicts the correction to
        // that baseline's forecast at each step (the job's baseline is the model's: the contract check refuses others).
        this.headCorrectsBaseline = spec.residual()
                && !spec.recursive()
                && spec.baseline() != null
                && !baseline.isNone()
                && baseline.kind() != Baseline.Kind.PERSISTENCE
                && baseline.equals(Baseline.parse(spec.baseline()));
    }

    /** name@version, stored with each state it writes. */
    public String modelId() {
        return modelId;
    }

    /** The job-wide prior of the combination weights, as this instance has learnt it (kept in operator state). */
    public PopulationPrior prior() {
        return prior;
    }

    /** Continues from {@code prior} (restored from operator state, or the previous model's of the same horizon). */
    public void usePrior(PopulationPrior prior) {
        this.prior = prior;
    }

    public int featureCount() {
        return features;
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
     * Applies {@code events[i]} to {@code states[i]} for i < n (each a different entity), writes the
     * new states back into {@code states} and the forecasts into {@code out}, and passes any
     * residual alerts to {@code alerts}.
     */
    public void advance(EntityState[] states, Event[] events, int n, Forecast[] out, Consumer<Alert> alerts) {
        ensureCapacity(n);
        for (int b = 0; b < n; b++) {
            EntityState s = fitStatistics(adopt(states[b]));
            states[b] = s;
            for (int l = 0; l < layers; l++) {
                System.arraycopy(s.h(), l * hidden, h[l], b * hidden, hidden);
                if (c != null) {
                    System.arraycopy(s.c(), l * hidden, c[l], b * hidden, hidden);
                }
            }
            // The input row: the event's own features, then the calendar features of its time.
            System.arraycopy(events[b].features(), 0, raw, b * features, eventFeatures);
            TimeFeatures.write(timeFeatures, events[b].timestamp(), raw, b * features + eventFeatures);
        }
        model.step(raw, h, c, n, forecast);
        for (int b = 0; b < n; b++) {
            EntityState before = states[b];
            float[] error = previousError(before, events[b]);
            // As nupic skips its model's learning period, scores count once z's rolling statistics span their window.
            AnomalyLikelihood.Update likelihood =
                    error == null || before.error().count() < RollingError.WINDOW
                            ? null
                            : before.likelihood()
                                    .observe(
                                            standardised(before.error(), error),
                                            watchedUnits(b),
                                            policy.alerts().method() == AlertMethod.COMBINED_LIKELIHOOD);
            boolean alerted = error != null
                    && checkResiduals(
                            before, events[b], error, likelihood == null ? null : likelihood.likelihood(), alerts);
            float[] actual = actual(events[b]);
            BaselineHistory history =
                    before.baseline().add(baseline, events[b].timestamp(), actual, before.lastEventTime());
            float[] baselineForecast = baseline.isNone()
                    ? null
                    : history.forecast(baseline, events[b].timestamp(), horizon, targets.size());
            if (headCorrectsBaseline) {
                correctBaseline(b, actual, baselineForecast);
            }
            IntervalState intervals = advanceIntervals(before.intervals(), actual, b);
            SkillTracker tracker = baseline.isNone()
                    ? before.skill()
                    : before.skill().advance(actual, error, modelForecast(b), baselineForecast);
            states[b] = next(
                    before,
                    events[b],
                    b,
                    error,
                    alerted,
                    intervals,
                    likelihood == null ? before.likelihood() : likelihood.next(),
                    history,
                    tracker);
            out[b] = toForecast(states[b], events[b], b, error, baselineForecast);
        }
    }

    /**
     * Row b's forecast is the last value plus the head's corrections ({@link ForecastModel#step} for a residual head);
     * the head was trained to correct the baseline's forecast, so the corrections move onto it:
     * forecast(k) = baseline(k) + correction(k).
     */
    private void correctBaseline(int b, float[] actual, float[] baselineForecast) {
        int span = horizon * targets.size();
        for (int i = 0; i < span; i++) {
            forecast[b * span + i] += baselineForecast[i] - actual[i % targets.size()];
        }
    }

    /**
     * Makes a stored state usable by this model. A state this model wrote is used as it is. A state
     * of another model is kept only if this model declares that model's state compatible
     * ({@code state_compatible_with}) and the shapes agree; otherwise one model's h and c mean
     * nothing to the other, so the entity is re-warmed from its kept inputs or starts from zeros.
     * The step count and last event time always carry over: they belong to the entity, not the model.
     */
    EntityState adopt(EntityState s) {
        if (s == null) {
            return fresh();
        }
        // Shapes are checked even for this model's own id: a retrained model sent under the same name@version, or a
        // damaged checkpoint, must not index past the end of a state it did not write.
        boolean sameShapes = s.h().length == layers * hidden
                && s.c().length == (model.hasCellState() ? layers * hidden : 0)
                && s.lastForecast().length == targets.size()
                && s.error().mean().length == targets.size()
                && s.error().meanAbs().length == targets.size()
                && s.error().meanSq().length == targets.size();
        if (sameShapes && modelId.equals(s.modelId())) {
            return s;
        }
        if (sameShapes && declaredCompatible(s.modelId())) {
            return new EntityState(
                    modelId,
                    s.h(),
                    s.c(),
                    s.steps(),
                    s.lastEventTime(),
                    s.lastForecast(),
                    s.error(),
                    s.lastAlertStep(),
                    s.recentInputs(),
                    s.intervals(),
                    s.likelihood(),
                    s.baseline(),
                    s.skill());
        }
        // The errors, intervals, likelihood and skill described the old model's forecasts: they restart with the state.
        // The baseline's history is the entity's own recent values and carries over.
        EntityState reset = fresh();
        reset = new EntityState(
                modelId,
                reset.h(),
                reset.c(),
                s.steps(),
                s.lastEventTime(),
                reset.lastForecast(),
                reset.error(),
                s.lastAlertStep(),
                s.recentInputs().length % features == 0 ? s.recentInputs() : new float[0],
                reset.intervals(),
                reset.likelihood(),
                s.baseline(),
                freshSkill());
        return rewarm(reset);
    }

    private boolean declaredCompatible(String oldModelId) {
        String oldVersion = oldModelId.substring(oldModelId.indexOf('@') + 1);
        return compatibleWith.contains(oldModelId) || compatibleWith.contains(oldVersion);
    }

    /** Replays the entity's kept inputs through this model from zero state, one step each. */
    private EntityState rewarm(EntityState s) {
        int kept = s.recentInputs().length / features;
        if (kept == 0) {
            return s;
        }
        float[][] rh = new float[layers][hidden];
        float[][] rc = c == null ? null : new float[layers][hidden];
        float[] input = new float[features];
        float[] f = new float[horizon * targets.size()];
        for (int k = 0; k < kept; k++) {
            System.arraycopy(s.recentInputs(), k * features, input, 0, features);
            model.step(input, rh, rc, 1, f);
        }
        float[] nh = new float[layers * hidden];
        float[] nc = new float[s.c().length];
        for (int l = 0; l < layers; l++) {
            System.arraycopy(rh[l], 0, nh, l * hidden, hidden);
            if (rc != null) {
                System.arraycopy(rc[l], 0, nc, l * hidden, hidden);
            }
        }
        return new EntityState(
                modelId,
                nh,
                nc,
                s.steps(),
                s.lastEventTime(),
                Arrays.copyOf(f, targets.size()),
                s.error(),
                s.lastAlertStep(),
                s.recentInputs(),
                s.intervals(),
                s.likelihood(),
                s.baseline(),
                s.skill());
    }

    private EntityState fresh() {
        return EntityState.fresh(modelId, layers, hidden, model.hasCellState(), targets.size(), freshIntervals())
                .withStatistics(
                        freshIntervals(),
                        AnomalyLikelihood.empty(targets.size(), noveltyUnits),
                        BaselineHistory.empty(baseline, targets.size()),
                        freshSkill());
    }

    private SkillTracker freshSkill() {
        return baseline.isNone() ? SkillTracker.OFF : SkillTracker.fresh(horizon, targets.size());
    }

    private IntervalState freshIntervals() {
        return intervalsOn() ? IntervalState.fresh(horizon, targets.size()) : IntervalState.OFF;
    }

    private boolean intervalsOn() {
        return policy.intervalCoverage() > 0;
    }

    /**
     * Intervals, likelihood, baseline history and skill of the shapes this model and policy need: a restored state may
     * come from another horizon or setting, from before baselines existed (format 4), or be damaged; what does not fit
     * restarts.
     */
    private EntityState fitStatistics(EntityState s) {
        // Runs for every event: the shape is checked without building the fresh intervals it is checked against.
        boolean intervalsFit = s.intervals().fits(intervalsOn() ? horizon : 0, intervalsOn() ? targets.size() : 0);
        boolean likelihoodFits = s.likelihood().fits(targets.size(), noveltyUnits);
        boolean historyFits = s.baseline().fits(baseline, targets.size());
        // A history that does not fit means the baseline changed (or state from before baselines): the skill restarts
        // too.
        boolean skillFits =
                baseline.isNone() ? s.skill().isOff() : historyFits && s.skill().fits(horizon, targets.size());
        if (intervalsFit && likelihoodFits && historyFits && skillFits) {
            return s;
        }
        return s.withStatistics(
                intervalsFit ? s.intervals() : freshIntervals(),
                likelihoodFits ? s.likelihood() : AnomalyLikelihood.empty(targets.size(), noveltyUnits),
                historyFits ? s.baseline() : BaselineHistory.empty(baseline, targets.size()),
                skillFits ? s.skill() : freshSkill());
    }

    /** Scores the forecasts made for this event, keeps row b's new forecast; counts the one-step interval's outcome. */
    private IntervalState advanceIntervals(IntervalState intervals, float[] actual, int b) {
        if (intervals.isOff()) {
            return intervals;
        }
        IntervalState.Update u = intervals.advance(actual, modelForecast(b), policy.intervalCoverage());
        if (u.scoredOneStep()) {
            coverage.add(u.coveredOneStep() ? 1 : 0);
        }
        return u.next();
    }

    /** Row b's model forecast, horizon x targets. */
    private float[] modelForecast(int b) {
        int span = horizon * targets.size();
        return Arrays.copyOfRange(forecast, b * span, (b + 1) * span);
    }

    /** The first units of row b's new hidden state, layer by layer: those the likelihood's novelty watches. */
    private float[] watchedUnits(int b) {
        float[] units = new float[noveltyUnits];
        for (int j = 0; j < noveltyUnits; j++) {
            units[j] = h[j / hidden][b * hidden + j % hidden];
        }
        return units;
    }

    /** z = (error - rolling mean) / rolling std per target, from the statistics before this error (0 when std is 0). */
    private static double[] standardised(RollingError stats, float[] error) {
        double[] z = new double[error.length];
        for (int t = 0; t < z.length; t++) {
            double std = stats.std(t);
            z[t] = std > 0 ? (error[t] - stats.mean()[t]) / std : 0;
        }
        return z;
    }

    /**
     * Raises an alert for each target whose error is anomalous by the policy's method, unless the entity is still
     * warming up or cooling down from its last alert (the statistics keep learning either way). Sigma: the error
     * leaves alertSigmas rolling standard deviations. Likelihood and combined likelihood: the anomaly likelihood
     * ({@link AnomalyLikelihood}) rises to alertLikelihood from below, so one excursion gives one alert. Returns whether it alerted.
     */
    private boolean checkResiduals(EntityState s, Event e, float[] error, double[] likelihood, Consumer<Alert> alerts) {
        RollingError stats = s.error();
        long step = s.steps() + 1;
        boolean coolingDown = s.lastAlertStep() != EntityState.NEVER_ALERTED
                && step - s.lastAlertStep() <= policy.alerts().cooldown();
        if (stats.count() < policy.alerts().warmup() || coolingDown) {
            return false;
        }
        boolean alerted = false;
        for (int t = 0; t < error.length; t++) {
            double std = stats.std(t);
            double score = std > 0 ? Math.abs(error[t] - stats.mean()[t]) / std : 0;
            boolean anomalous = switch (policy.alerts().method()) {
                case SIGMA -> score > policy.alerts().sigmas();
                case LIKELIHOOD, COMBINED_LIKELIHOOD ->
                    likelihood != null
                            && s.likelihood().estimated()
                            && likelihood[t] >= policy.alerts().likelihood()
                            && s.likelihood().lastLikelihood()[t]
                                    < policy.alerts().likelihood();
            };
            if (anomalous) {
                float actual = e.features()[targetFeature[t]];
                alerts.accept(new Alert(
                        e.entityId(),
                        e.timestamp(),
                        modelName,
                        modelVersion,
                        targets.get(t),
                        actual,
                        s.lastForecast()[t],
                        error[t],
                        stats.mean()[t],
                        (float) std,
                        (float) score,
                        likelihood == null ? Double.NaN : likelihood[t]));
                alerted = true;
            }
        }
        return alerted;
    }

    private EntityState next(
            EntityState s,
            Event e,
            int b,
            float[] error,
            boolean alerted,
            IntervalState intervals,
            AnomalyLikelihood likelihood,
            BaselineHistory history,
            SkillTracker tracker) {
        float[] nh = new float[layers * hidden];
        float[] nc = new float[c == null ? 0 : layers * hidden];
        for (int l = 0; l < layers; l++) {
            System.arraycopy(h[l], b * hidden, nh, l * hidden, hidden);
            if (c != null) {
                System.arraycopy(c[l], b * hidden, nc, l * hidden, hidden);
            }
        }
        RollingError rolling = error == null ? s.error() : s.error().add(error);
        float[] oneStep =
                Arrays.copyOfRange(forecast, b * horizon * targets.size(), (b * horizon + 1) * targets.size());
        return new EntityState(
                modelId,
                nh,
                nc,
                s.steps() + 1,
                e.timestamp(),
                oneStep,
                rolling,
                alerted ? s.steps() + 1 : s.lastAlertStep(),
                keepRecent(s.recentInputs(), b),
                intervals,
                likelihood,
                history,
                tracker);
    }

    /** The last rewarm-events input rows (row b of this batch the newest), oldest first; empty when re-warming is off. */
    private float[] keepRecent(float[] recent, int b) {
        int limit = policy.rewarmEvents() * features;
        if (limit == 0) {
            return recent.length == 0 ? recent : new float[0];
        }
        int keep = Math.min(recent.length, limit - features);
        float[] next = new float[keep + features];
        System.arraycopy(recent, recent.length - keep, next, 0, keep);
        System.arraycopy(raw, b * features, next, keep, features);
        return next;
    }

    private Forecast toForecast(EntityState s, Event e, int b, float[] error, float[] baselineForecast) {
        boolean scored = s.error().count() > 0;
        float[] f = modelForecast(b);
        boolean bounded = s.intervals().ready();
        boolean none = baseline.isNone();
        float[] skillNow = none ? null : s.skill().skillOrNull();
        if (skillNow != null) {
            skill.add(skillNow[0]);
        }
        return new Forecast(
                e.entityId(),
                e.timestamp(),
                modelName,
                modelVersion,
                s.steps(),
                targets,
                horizon,
                actual(e),
                f,
                error,
                scored ? s.error().mae() : null,
                scored ? s.error().rmse() : null,
                bounded ? s.intervals().bound(f, -1) : null,
                bounded ? s.intervals().bound(f, 1) : null,
                none ? null : baseline.id(),
                baselineForecast,
                none ? null : s.skill().baselineMaeOrNull(),
                skillNow,
                null,
                null);
    }

    /** actual - (the one-step forecast made at the entity's previous event), or null when there is none. */
    private float[] previousError(EntityState s, Event e) {
        if (s.steps() == 0 || s.lastForecast().length != targets.size()) {
            return null;
        }
        float[] actual = actual(e);
        float[] error = new float[actual.length];
        for (int t = 0; t < actual.length; t++) {
            error[t] = actual[t] - s.lastForecast()[t];
        }
        return error;
    }

    private float[] actual(Event e) {
        float[] a = new float[targets.size()];
        for (int t = 0; t < a.length; t++) {
            a[t] = e.features()[targetFeature[t]];
        }
        return a;
    }

    private void ensureCapacity(int n) {
        if (n <= capacity) {
            return;
        }
        capacity = Math.max(n, capacity * 2);
        h = new float[layers][capacity * hidden];
        c = model.hasCellState() ? new float[layers][capacity * hidden] : null;
        raw = new float[capacity * features];
        forecast = new float[capacity * horizon * targets.size()];
    }
}
