package io.lstmforecast.state;

import java.io.IOException;
import java.util.List;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Compact binary form of {@link EntityState}: no Kryo. Every record starts with a format byte, then the model id, then
 * each stage's value as its codec writes it, in the order and at the codec versions {@link Stages#FORMATS} lists for
 * that format. So state written by an older release still restores after stages are added or change their layout: a
 * stage the format did not hold restores absent and restarts on the entity's next event. Formats 1 to 7 were written
 * before the state was split into stages and are read by {@link LegacyFormats}. The formats, their fields and sizes:
 * docs/state-format.md.
 */
public final class EntityStateSerializer extends TypeSerializerSingleton<EntityState> {
    public static final EntityStateSerializer INSTANCE = new EntityStateSerializer();

    @Override
    public boolean isImmutableType() {
        // Instances are replaced, never mutated in place, but they hold arrays: copy defensively.
        return false;
    }

    @Override
    public EntityState createInstance() {
        return EntityState.empty("");
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
     * One buffer per thread (the task thread and the asynchronous snapshot thread both serialize): a checkpoint stream
     * takes values one byte at a time through wrapper streams, so the record is written here and handed over in one
     * call (docs/PERFORMANCE.md). The bytes are the same.
     */
    private static final ThreadLocal<DataOutputSerializer> BUFFER =
            ThreadLocal.withInitial(() -> new DataOutputSerializer(2048));

    @Override
    public void serialize(EntityState s, DataOutputView target) throws IOException {
        DataOutputSerializer out = BUFFER.get();
        out.clear();
        out.writeByte(Stages.CURRENT_FORMAT);
        out.writeUTF(s.modelId());
        long lastEventTime = s.memory().lastEventTime();
        for (Stages.Part part : Stages.FORMATS.get(Stages.CURRENT_FORMAT)) {
            write(part.kind(), s, lastEventTime, out);
        }
        target.write(out.getSharedBuffer(), 0, out.length());
    }

    private static <S> void write(StageKind<S> kind, EntityState s, long lastEventTime, DataOutputView out)
            throws IOException {
        kind.codec().write(s.get(kind), lastEventTime, out);
    }

    @Override
    public EntityState deserialize(DataInputView in) throws IOException {
        int format = in.readUnsignedByte();
        List<Stages.Part> parts = Stages.FORMATS.get(format);
        if (parts == null) {
            if (LegacyFormats.reads(format)) {
                return LegacyFormats.read(format, in);
            }
            throw new IOException("entity state format " + format + " is not one this release reads (1, 2, 4, 5, 6, 7, "
                    + Stages.FORMATS.keySet().stream()
                            .sorted()
                            .map(String::valueOf)
                            .reduce((a, b) -> a + ", " + b)
                            .orElse("")
                    + ")");
        }
        String modelId = in.readUTF();
        Object[] values = EntityState.empty(modelId).values();
        long lastEventTime = Long.MIN_VALUE;
        for (Stages.Part part : parts) {
            Object value = part.kind().codec().read(part.version(), lastEventTime, in);
            values[part.kind().index()] = value;
            if (value instanceof Memory m) {
                lastEventTime = m.lastEventTime();
            }
        }
        return new EntityState(modelId, values);
    }

    @Override
    public EntityState deserialize(EntityState reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        serialize(deserialize(in), out);
    }

    @Override
    public TypeSerializerSnapshot<EntityState> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Restores the serializer from a savepoint; the per-record format byte handles layout changes. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<EntityState> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
