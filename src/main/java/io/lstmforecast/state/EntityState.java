package io.lstmforecast.state;

import java.util.Arrays;

/**
 * Everything the job remembers about one entity between its events: the model id, which says which model wrote the
 * state (a swapped model never reads another model's state), and one value per stage ({@link Stages}). Immutable: a
 * forecaster replaces an entity's state, never changes it.
 */
public final class EntityState {
    /** The last alert step of an entity that never alerted. */
    public static final long NEVER_ALERTED = -1;

    private final String modelId;
    private final Object[] values;

    /** {@code values}: one per stage slot ({@link StageKind#index}), each of its kind's type. */
    EntityState(String modelId, Object[] values) {
        this.modelId = modelId;
        this.values = values;
    }

    /** A state with every stage absent (no model has stepped it): an entity's next event starts every stage. */
    public static EntityState empty(String modelId) {
        Object[] values = new Object[Stages.SLOTS];
        for (StageKind<?> kind : Stages.ALL) {
            values[kind.index()] = kind.absent();
        }
        return new EntityState(modelId, values);
    }

    /** name@version of the model that wrote the state. */
    public String modelId() {
        return modelId;
    }

    /** The stage's value. */
    @SuppressWarnings("unchecked")
    public <S> S get(StageKind<S> kind) {
        return (S) values[kind.index()];
    }

    /** This state with another value for one stage. */
    public <S> EntityState with(StageKind<S> kind, S value) {
        Object[] next = values.clone();
        next[kind.index()] = value;
        return new EntityState(modelId, next);
    }

    EntityState withModelId(String id) {
        return new EntityState(id, values);
    }

    /** The value in slot i, for code that handles every stage alike. */
    Object value(int i) {
        return values[i];
    }

    Object[] values() {
        return values.clone();
    }

    public EntityState copy() {
        Object[] copies = new Object[values.length];
        for (StageKind<?> kind : Stages.ALL) {
            copies[kind.index()] = copyOf(kind);
        }
        return new EntityState(modelId, copies);
    }

    private <S> S copyOf(StageKind<S> kind) {
        return kind.codec().copy(get(kind));
    }

    public Memory memory() {
        return get(Stages.MEMORY);
    }

    public float[] h() {
        return memory().h();
    }

    public float[] c() {
        return memory().c();
    }

    public long steps() {
        return memory().steps();
    }

    public long lastEventTime() {
        return memory().lastEventTime();
    }

    public float[] lastForecast() {
        return memory().lastForecast();
    }

    public RollingError error() {
        return memory().error();
    }

    public float[] recentInputs() {
        return memory().recentInputs();
    }

    public long lastAlertStep() {
        return get(Stages.ALERTS);
    }

    public IntervalState intervals() {
        return get(Stages.INTERVALS);
    }

    public AnomalyLikelihood likelihood() {
        return get(Stages.LIKELIHOOD);
    }

    public BaselineHistory baseline() {
        return get(Stages.BASELINE);
    }

    public SkillTracker skill() {
        return get(Stages.SKILL);
    }

    public PendingForecasts pending() {
        return get(Stages.PENDING);
    }

    @Override
    public String toString() {
        return "EntityState[" + modelId + ", " + Arrays.toString(values) + "]";
    }
}
