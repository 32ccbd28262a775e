package io.lstmforecast.state;

import java.io.IOException;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * How one stage's value is written to a checkpoint and read back. A codec reads every version it has written, so a
 * checkpoint taken by an older release restores; {@link EntityStateSerializer} lists which version of each stage a
 * format holds.
 */
public interface StageCodec<S> {
    /** The version {@link #write} writes. */
    int version();

    /**
     * Writes the value. {@code lastEventTime}: the entity's last event time, written before every stage, for values
     * that store times as ages.
     */
    void write(S value, long lastEventTime, DataOutputView out) throws IOException;

    /** Reads a value written by version {@code version} of this codec. */
    S read(int version, long lastEventTime, DataInputView in) throws IOException;

    /** A copy that shares no mutable array with the value. */
    S copy(S value);
}
