package io.lstmforecast.state;

import java.io.IOException;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * How the seasonal history's slot times are written (format 7 and the baseline stage's codec). They lie within a
 * period or so before the entity's last event, so they are written as ages (last event time - slot time) in ints when
 * every one fits (about 24 days), which halves them; else as longs. A flag byte says which; the read gives the same
 * longs.
 */
final class SlotTimes {
    private SlotTimes() {}

    /** Written for an empty slot in place of its age (real ages are 0 or more). */
    private static final int EMPTY_AGE = -1;

    /** {@code intLength}: the length as an int (format 7), else as a count (the baseline stage's codec). */
    static void write(long[] times, long lastEventTime, boolean intLength, DataOutputView out) throws IOException {
        boolean ages = true;
        for (long t : times) {
            long age = lastEventTime - t;
            ages &= t == BaselineHistory.EMPTY_SLOT || (t <= lastEventTime && age >= 0 && age <= Integer.MAX_VALUE);
        }
        out.writeBoolean(ages);
        if (intLength) {
            out.writeInt(times.length);
        } else {
            StateIO.writeCount(times.length, out);
        }
        for (long t : times) {
            if (!ages) {
                out.writeLong(t);
            } else {
                out.writeInt(t == BaselineHistory.EMPTY_SLOT ? EMPTY_AGE : (int) (lastEventTime - t));
            }
        }
    }

    static long[] read(long lastEventTime, boolean intLength, DataInputView in) throws IOException {
        boolean ages = in.readBoolean();
        int length = intLength ? StateIO.checked(in.readInt()) : StateIO.readLength(in);
        long[] times = new long[length];
        if (!ages) {
            for (int i = 0; i < times.length; i++) {
                times[i] = in.readLong();
            }
            return times;
        }
        for (int i = 0; i < times.length; i++) {
            int age = in.readInt();
            times[i] = age == EMPTY_AGE ? BaselineHistory.EMPTY_SLOT : lastEventTime - age;
        }
        return times;
    }
}
