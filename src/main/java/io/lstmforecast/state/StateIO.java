package io.lstmforecast.state;

import java.io.IOException;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/** The building blocks of the stages' codecs: counts as variable-length integers, float arrays, checked lengths. */
final class StateIO {
    private StateIO() {}

    /** Longest array a state holds: 32 layers of hidden size 8192 (the model spec's caps), with room to spare. */
    static final int MAX_LENGTH = 1 << 20;

    /** A long in 7-bit groups, low first: 1 byte below 128, 3 below about two million; 10 for a negative value. */
    static void writeCount(long v, DataOutputView out) throws IOException {
        while ((v & ~0x7FL) != 0) {
            out.writeByte((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.writeByte((int) v);
    }

    static long readCount(DataInputView in) throws IOException {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = in.readUnsignedByte();
            v |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return v;
            }
        }
        throw new IOException("entity state is corrupt: a count runs past 10 bytes");
    }

    /** A length written with {@link #writeCount}, refused when it is negative or absurd (see {@link #checked}). */
    static int readLength(DataInputView in) throws IOException {
        long length = readCount(in);
        return checked(length < 0 || length > MAX_LENGTH ? -1 : (int) length, length);
    }

    /**
     * A damaged or foreign state could claim any length; it is refused with an error that names the state, not
     * answered with NegativeArraySizeException or an allocation that exhausts the heap.
     */
    static int checked(int length) throws IOException {
        return checked(length, length);
    }

    /** A length computed from a shape read before (horizon x targets, say), refused like a length read. */
    static int checked(long length) throws IOException {
        return checked(length < 0 || length > MAX_LENGTH ? -1 : (int) length, length);
    }

    private static int checked(int length, long claimed) throws IOException {
        if (length < 0 || length > MAX_LENGTH) {
            throw new IOException("entity state is corrupt: an array claims " + claimed + " values (0 to " + MAX_LENGTH
                    + " expected); the checkpoint or savepoint was not written by this job's EntityStateSerializer");
        }
        return length;
    }

    /** The floats without their length (the reader knows it from the shape written before). */
    static void writeFloats(float[] values, DataOutputView out) throws IOException {
        for (float v : values) {
            out.writeFloat(v);
        }
    }

    static float[] readFloats(int length, DataInputView in) throws IOException {
        float[] values = new float[checked(length)];
        for (int i = 0; i < values.length; i++) {
            values[i] = in.readFloat();
        }
        return values;
    }

    /** The floats after their length as a count. */
    static void writeFloatArray(float[] values, DataOutputView out) throws IOException {
        writeCount(values.length, out);
        writeFloats(values, out);
    }

    static float[] readFloatArray(DataInputView in) throws IOException {
        return readFloats(readLength(in), in);
    }

    /** A float array after its length as an int (formats 1 to 7). */
    static float[] readIntPrefixedFloats(DataInputView in) throws IOException {
        return readFloats(in.readInt(), in);
    }

    /** A long array after its length as an int (formats 1 to 7). */
    static long[] readIntPrefixedLongs(DataInputView in) throws IOException {
        long[] values = new long[checked(in.readInt())];
        for (int i = 0; i < values.length; i++) {
            values[i] = in.readLong();
        }
        return values;
    }
}
