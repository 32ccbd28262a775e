package io.lstmforecast.job;

import io.lstmforecast.state.EntityState;
import java.io.IOException;
import org.apache.flink.api.common.state.ValueState;

/**
 * The current entity's state as read from Flink: none, a state, or one that cannot be read and why. With RocksDB,
 * state is deserialized on each access, so a damaged checkpoint shows here rather than at restore.
 *
 * @param state   the stored state; null when there is none or it cannot be read
 * @param problem why it cannot be read; null when it can
 */
record StoredState(EntityState state, String problem) {
    static final StoredState NONE = new StoredState(null, null);

    static StoredState read(ValueState<EntityState> entity) {
        try {
            EntityState s = entity.value();
            return s == null ? NONE : new StoredState(s, null);
        } catch (IOException | RuntimeException e) {
            return new StoredState(null, String.valueOf(e.getMessage()));
        }
    }

    boolean unreadable() {
        return problem != null;
    }

    /** What admission needs to know of the entity; {@code held}: an event at the same time waits for the watermark. */
    Admission.Entity forAdmission(boolean held) {
        return new Admission.Entity(problem, state == null ? null : state.lastEventTime(), held);
    }
}
