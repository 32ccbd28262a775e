package io.lstmforecast.state;

import java.io.IOException;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Compact binary form of {@link EntityState}: float arrays as raw floats, no Kryo. Every record
 * starts with a format version byte, so state written by an older release still restores after
 * the layout grows (read the old version's fields, default the new ones). Version 2 added the step of the
 * last alert (version 1 state restores as never alerted). Version 4 added the prediction intervals and the
 * anomaly likelihood (older state restores without them; the intervals start on the entity's next event). Version 5
 * added the baseline's history and the skill statistics (older state restores with a fresh baseline: its forecasts and
 * skill start on the entity's next event). Version 6 widened the anomaly likelihood to four statistics over a ring of 30
 * signed scores (older state restores with a fresh likelihood, which learns again over the entity's next events). Version
 * 7 added the hidden state's novelty to the likelihood: a fifth statistic and the state's reference (older state
 * restores with a fresh likelihood), and writes the seasonal history's slot times as ages in ints where they fit (see
 * {@link #writeTimes}).
 *
 * <p>Size for H=64, one LSTM layer, one target, no re-warm inputs: 1 + (2 + model id) + 8 + 8
 * + 2*(4 + 256) + (4 + 4) + 8 + 3*(4 + 4) + 8 + 4 = about 610 bytes; the intervals for horizon 12 add
 * 4 + 4 + 8 + 2*(4 + 12*4) + 2*(4 + 78*4) = 752 bytes and the likelihood 8 + 2*(4 + 5*4) + (4 + 30*4) + (4 + 4)
 * + (4 + 18*4) = 264 (measured in IntervalStateTest); the persistence baseline and the skill add 8 + 4 + (4 + 4) + 1 + 4
 * + 8 + (4 + 4) + 2*(4 + 12*4) + (4 + 2*8) + 2*(4 + 2*4) = 189 bytes: 1807 in all. seasonal:24 keeps 23 more values (+92
 * bytes), seasonal:48 47 more (+188), a seasonal duration 25 (time, value) slots (+196 while the slots' ages fit in an
 * int, about 24 days; +296 beyond) (measured in SkillTrackerTest).
 */
public final class EntityStateSerializer extends TypeSerializerSingleton<EntityState> {
    public static final EntityStateSerializer INSTANCE = new EntityStateSerializer();
    static final byte FORMAT_V1 = 1;
    static final byte FORMAT_V2 = 2;
    static final byte FORMAT_V4 = 4;
    static final byte FORMAT_V5 = 5;
    static final byte FORMAT_V6 = 6;
    static final byte FORMAT_V7 = 7;

    @Override
    public boolean isImmutableType() {
        // Instances are replaced, never mutated in place, but they hold arrays: copy defensively.
        return false;
    }

    @Override
    public EntityState createInstance() {
        return EntityState.fresh("", 0, 0, false, 0, IntervalState.OFF);
    }

    @Override
    public EntityState copy(EntityState s) {
        return s.copy();
    }

    @Override
    public EntityState copy(EntityState from, EntityState reuse) {
        return copy(from);
    }

    @Override
    public int getLength() {
        return -1;
    }

    /**
     * One buffer per thread (the task thread and the asynchronous snapshot thread both serialize): a checkpoint writes
     * every entity's state, and a checkpoint stream takes values one byte at a time (writeFloat is four calls through
     * two wrapper streams), which made the snapshot thread 14 % of the job's CPU at 100k entities. The record is
     * written here, then handed over in one call. The bytes are the same.
     */
    private static final ThreadLocal<DataOutputSerializer> BUFFER =
            ThreadLocal.withInitial(() -> new DataOutputSerializer(2048));

    @Override
    public void serialize(EntityState s, DataOutputView target) throws IOException {
        DataOutputSerializer out = BUFFER.get();
        out.clear();
        write(s, out);
        target.write(out.getSharedBuffer(), 0, out.length());
    }

    private static void write(EntityState s, DataOutputView out) throws IOException {
        out.writeByte(FORMAT_V7);
        out.writeUTF(s.modelId());
        out.writeLong(s.steps());
        out.writeLong(s.lastEventTime());
        writeFloats(s.h(), out);
        writeFloats(s.c(), out);
        writeFloats(s.lastForecast(), out);
        out.writeLong(s.error().count());
        writeFloats(s.error().mean(), out);
        writeFloats(s.error().meanAbs(), out);
        writeFloats(s.error().meanSq(), out);
        out.writeLong(s.lastAlertStep());
        writeFloats(s.recentInputs(), out);
        IntervalState iv = s.intervals();
        out.writeInt(iv.horizon());
        out.writeInt(iv.targets());
        out.writeLong(iv.observed());
        writeFloats(iv.halfWidth(), out);
        writeFloats(iv.scale(), out);
        writeFloats(iv.pendingForecast(), out);
        writeFloats(iv.pendingHalfWidth(), out);
        AnomalyLikelihood l = s.likelihood();
        out.writeLong(l.count());
        writeFloats(l.mean(), out);
        writeFloats(l.meanSq(), out);
        writeFloats(l.recent(), out);
        writeFloats(l.lastLikelihood(), out);
        writeFloats(l.novelty(), out);
        BaselineHistory b = s.baseline();
        out.writeLong(b.seen());
        out.writeFloat(b.meanGap());
        writeFloats(b.values(), out);
        writeTimes(b.times(), s.lastEventTime(), out);
        SkillTracker k = s.skill();
        out.writeLong(k.forecasts());
        writeFloats(k.lastBaseline(), out);
        writeFloats(k.pendingModel(), out);
        writeFloats(k.pendingBaseline(), out);
        writeLongs(k.scored(), out);
        writeFloats(k.modelMae(), out);
        writeFloats(k.baselineMae(), out);
    }

    @Override
    public EntityState deserialize(DataInputView in) throws IOException {
        byte format = in.readByte();
        if (format != FORMAT_V1
                && format != FORMAT_V2
                && format != FORMAT_V4
                && format != FORMAT_V5
                && format != FORMAT_V6
                && format != FORMAT_V7) {
            throw new IOException("entity state format " + format + " is not one this release reads (1, 2, 4, 5, 6, "
                    + FORMAT_V7 + ")");
        }
        String modelId = in.readUTF();
        long steps = in.readLong();
        long lastEventTime = in.readLong();
        float[] h = readFloats(in);
        float[] c = readFloats(in);
        float[] lastForecast = readFloats(in);
        RollingError error = new RollingError(in.readLong(), readFloats(in), readFloats(in), readFloats(in));
        long lastAlertStep = format >= FORMAT_V2 ? in.readLong() : EntityState.NEVER_ALERTED;
        float[] recentInputs = readFloats(in);
        // Statistics an older format did not keep start off or empty, and learn again from the next events.
        IntervalState intervals = IntervalState.OFF;
        // The likelihood's novelty watches as many units as the model has; EntityForecaster sizes it on the next event.
        AnomalyLikelihood likelihood = AnomalyLikelihood.empty(error.mean().length, 0);
        BaselineHistory baseline = BaselineHistory.NONE;
        SkillTracker skill = SkillTracker.OFF;
        if (format >= FORMAT_V4) {
            intervals = new IntervalState(
                    in.readInt(),
                    in.readInt(),
                    in.readLong(),
                    readFloats(in),
                    readFloats(in),
                    readFloats(in),
                    readFloats(in));
            long count = in.readLong();
            float[] mean = readFloats(in);
            float[] meanSq = readFloats(in);
            float[] recent = readFloats(in);
            float[] last = readFloats(in);
            // Before version 7 the likelihood kept other statistics in these arrays: it learns again.
            if (format >= FORMAT_V7) {
                likelihood = new AnomalyLikelihood(count, mean, meanSq, recent, last, readFloats(in));
            }
        }
        if (format >= FORMAT_V5) {
            baseline = new BaselineHistory(
                    in.readLong(),
                    in.readFloat(),
                    readFloats(in),
                    format >= FORMAT_V7 ? readTimes(lastEventTime, in) : readLongs(in));
            skill = new SkillTracker(
                    in.readLong(),
                    readFloats(in),
                    readFloats(in),
                    readFloats(in),
                    readLongs(in),
                    readFloats(in),
                    readFloats(in));
        }
        return new EntityState(
                modelId,
                h,
                c,
                steps,
                lastEventTime,
                lastForecast,
                error,
                lastAlertStep,
                recentInputs,
                intervals,
                likelihood,
                baseline,
                skill);
    }

    @Override
    public EntityState deserialize(EntityState reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        serialize(deserialize(in), out);
    }

    private static void writeFloats(float[] values, DataOutputView out) throws IOException {
        out.writeInt(values.length);
        for (float v : values) {
            out.writeFloat(v);
        }
    }

    private static void writeLongs(long[] values, DataOutputView out) throws IOException {
        out.writeInt(values.length);
        for (long v : values) {
            out.writeLong(v);
        }
    }

    /** Longest float array a state holds: 32 layers of hidden size 8192 (the model spec's caps), with room to spare. */
    static final int MAX_FLOATS = 1 << 20;

    /**
     * Reads a length-prefixed array. A damaged or foreign state could claim any length; it is refused with an error
     * that names the state, not answered with NegativeArraySizeException or an allocation that exhausts the heap.
     */
    private static float[] readFloats(DataInputView in) throws IOException {
        int length = checkedLength(in.readInt());
        float[] values = new float[length];
        for (int i = 0; i < values.length; i++) {
            values[i] = in.readFloat();
        }
        return values;
    }

    private static int checkedLength(int length) throws IOException {
        if (length < 0 || length > MAX_FLOATS) {
            throw new IOException("entity state is corrupt: an array claims " + length + " values (0 to " + MAX_FLOATS
                    + " expected); the checkpoint or savepoint was not written by this job's EntityStateSerializer");
        }
        return length;
    }

    /** A length-prefixed array of longs, refused like {@link #readFloats} when its length is absurd. */
    /** Written for an empty slot of the seasonal history in place of its age (real ages are 0 or more). */
    private static final int EMPTY_AGE = -1;

    /**
     * The seasonal history's slot times. They lie within a period or so before the entity's last event, so they are
     * written as ages (last event time - slot time) in ints when every one fits, about 24 days, which halves the 25 slots
     * of a seasonal duration (200 bytes to 100); else as longs. A flag byte says which; restore gives the same longs.
     */
    private static void writeTimes(long[] times, long lastEventTime, DataOutputView out) throws IOException {
        boolean ages = true;
        for (long t : times) {
            long age = lastEventTime - t;
            ages &= t == BaselineHistory.EMPTY_SLOT || (t <= lastEventTime && age >= 0 && age <= Integer.MAX_VALUE);
        }
        out.writeBoolean(ages);
        if (!ages) {
            writeLongs(times, out);
            return;
        }
        out.writeInt(times.length);
        for (long t : times) {
            out.writeInt(t == BaselineHistory.EMPTY_SLOT ? EMPTY_AGE : (int) (lastEventTime - t));
        }
    }

    private static long[] readTimes(long lastEventTime, DataInputView in) throws IOException {
        if (!in.readBoolean()) {
            return readLongs(in);
        }
        long[] times = new long[checkedLength(in.readInt())];
        for (int i = 0; i < times.length; i++) {
            int age = in.readInt();
            times[i] = age == EMPTY_AGE ? BaselineHistory.EMPTY_SLOT : lastEventTime - age;
        }
        return times;
    }

    private static long[] readLongs(DataInputView in) throws IOException {
        int length = checkedLength(in.readInt());
        long[] values = new long[length];
        for (int i = 0; i < values.length; i++) {
            values[i] = in.readLong();
        }
        return values;
    }

    @Override
    public TypeSerializerSnapshot<EntityState> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Restores the serializer from a savepoint; the per-record version byte handles layout changes. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<EntityState> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
