package io.lstmforecast.state;

import java.io.IOException;
import java.util.Arrays;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * The entity's {@link Memory}: the model's h and c, the step count and last event time, the last one-step forecast and
 * the rolling statistics of its errors, and the inputs kept for re-warming. After a swap to a model that cannot
 * continue the state, the entity is re-warmed by replaying its kept inputs through the new model from its start state
 * (its learnt h0, c0, or zeros); the step count and last event time carry over (they belong to the entity, not the
 * model).
 */
final class MemoryStage implements Stage<Memory> {
    private final Setup setup;

    MemoryStage(Setup setup) {
        this.setup = setup;
    }

    @Override
    public StageKind<Memory> kind() {
        return Stages.MEMORY;
    }

    @Override
    public Memory fresh() {
        return new Memory(
                setup.model().startH(),
                setup.model().startC(),
                0,
                Long.MIN_VALUE,
                new float[0],
                RollingError.empty(setup.targets()),
                new float[0]);
    }

    /**
     * Whether the memory has this model's shapes. Checked even for this model's own id: a retrained model sent under the
     * same name@version, or a damaged checkpoint, must not index past the end of a state it did not write.
     */
    boolean fits(Memory m) {
        int targets = setup.targets();
        return m.h().length == setup.stateSize()
                && m.c().length == (setup.cellState() ? setup.stateSize() : 0)
                && m.lastForecast().length == targets
                && m.error().mean().length == targets
                && m.error().meanAbs().length == targets
                && m.error().meanSq().length == targets;
    }

    /** The forecaster has checked the memory's shapes when it adopted the state ({@link #fits}). */
    @Override
    public Memory fit(Memory stored, Restarts restarted) {
        return stored;
    }

    @Override
    public Memory swapped(Memory old) {
        Memory fresh = fresh();
        float[] kept = old.recentInputs().length % setup.features() == 0 ? old.recentInputs() : new float[0];
        return rewarm(new Memory(
                fresh.h(), fresh.c(), old.steps(), old.lastEventTime(), fresh.lastForecast(), fresh.error(), kept));
    }

    /** Replays the entity's kept inputs through this model from its start state (m's h and c), one step each. */
    private Memory rewarm(Memory m) {
        int features = setup.features();
        int kept = m.recentInputs().length / features;
        if (kept == 0) {
            return m;
        }
        int layers = setup.model().numLayers();
        int hidden = setup.model().hiddenSize();
        float[][] h = new float[layers][hidden];
        float[][] c = setup.cellState() ? new float[layers][hidden] : null;
        for (int l = 0; l < layers; l++) {
            System.arraycopy(m.h(), l * hidden, h[l], 0, hidden);
            if (c != null) {
                System.arraycopy(m.c(), l * hidden, c[l], 0, hidden);
            }
        }
        float[] input = new float[features];
        float[] f = new float[setup.horizon() * setup.targets()];
        for (int k = 0; k < kept; k++) {
            System.arraycopy(m.recentInputs(), k * features, input, 0, features);
            setup.model().step(input, h, c, 1, f);
        }
        float[] nh = new float[layers * hidden];
        float[] nc = new float[m.c().length];
        for (int l = 0; l < layers; l++) {
            System.arraycopy(h[l], 0, nh, l * hidden, hidden);
            if (c != null) {
                System.arraycopy(c[l], 0, nc, l * hidden, hidden);
            }
        }
        return new Memory(
                nh, nc, m.steps(), m.lastEventTime(), Arrays.copyOf(f, setup.targets()), m.error(), m.recentInputs());
    }

    @Override
    public Memory advance(Memory m, Step step) {
        RollingError error = step.oneStepError == null ? m.error() : m.error().add(step.oneStepError);
        return new Memory(
                step.rows.hidden(step.row),
                step.rows.cell(step.row),
                m.steps() + 1,
                step.event.timestamp(),
                Arrays.copyOf(step.forecast, setup.targets()),
                error,
                keepRecent(m.recentInputs(), step));
    }

    /** The last rewarm-events input rows (this event's the newest), oldest first; empty when re-warming is off. */
    private float[] keepRecent(float[] recent, Step step) {
        int features = setup.features();
        int limit = setup.policy().rewarmEvents() * features;
        if (limit == 0) {
            return recent.length == 0 ? recent : new float[0];
        }
        int keep = Math.min(recent.length, limit - features);
        float[] next = new float[keep + features];
        System.arraycopy(recent, recent.length - keep, next, 0, keep);
        step.rows.copyInput(step.row, next, keep);
        return next;
    }

    /**
     * Version 1: steps (count), last event time (long), then h, c, the last forecast, the error count (count) and the
     * error's mean, mean |e| and mean e^2 per target, and the kept inputs, each array as its length (count) and floats.
     */
    static final class Codec implements StageCodec<Memory> {
        @Override
        public int version() {
            return 1;
        }

        @Override
        public void write(Memory m, long lastEventTime, DataOutputView out) throws IOException {
            StateIO.writeCount(m.steps(), out);
            out.writeLong(m.lastEventTime());
            StateIO.writeFloatArray(m.h(), out);
            StateIO.writeFloatArray(m.c(), out);
            StateIO.writeFloatArray(m.lastForecast(), out);
            StateIO.writeCount(m.error().count(), out);
            StateIO.writeFloatArray(m.error().mean(), out);
            StateIO.writeFloatArray(m.error().meanAbs(), out);
            StateIO.writeFloatArray(m.error().meanSq(), out);
            StateIO.writeFloatArray(m.recentInputs(), out);
        }

        @Override
        public Memory read(int version, long lastEventTime, DataInputView in) throws IOException {
            long steps = StateIO.readCount(in);
            long time = in.readLong();
            float[] h = StateIO.readFloatArray(in);
            float[] c = StateIO.readFloatArray(in);
            float[] last = StateIO.readFloatArray(in);
            RollingError error = new RollingError(
                    StateIO.readCount(in),
                    StateIO.readFloatArray(in),
                    StateIO.readFloatArray(in),
                    StateIO.readFloatArray(in));
            return new Memory(h, c, steps, time, last, error, StateIO.readFloatArray(in));
        }

        @Override
        public Memory copy(Memory m) {
            return m.copy();
        }
    }
}
