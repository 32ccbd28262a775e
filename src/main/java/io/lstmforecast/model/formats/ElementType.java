package io.lstmforecast.model.formats;

import java.nio.ByteBuffer;

/**
 * The element types a weights file may store, with their widths and their conversion to float32 (what the engine
 * computes in). float64 is rounded to the nearest float32; float16 and bfloat16 widen exactly.
 */
enum ElementType {
    FLOAT32(4),
    FLOAT64(8),
    FLOAT16(2),
    BFLOAT16(2),
    INT64(8),
    INT32(4),
    INT16(2),
    INT8(1),
    UINT8(1),
    BOOL(1);

    final int width;

    ElementType(int width) {
        this.width = width;
    }

    /** Reads element {@code index} of {@code data} (in the buffer's byte order) as float32. */
    float get(ByteBuffer data, int index) {
        int at = index * width;
        return switch (this) {
            case FLOAT32 -> data.getFloat(at);
            case FLOAT64 -> (float) data.getDouble(at);
            case FLOAT16 -> halfToFloat(data.getShort(at));
            case BFLOAT16 -> Float.intBitsToFloat((data.getShort(at) & 0xffff) << 16);
            case INT64 -> data.getLong(at);
            case INT32 -> data.getInt(at);
            case INT16 -> data.getShort(at);
            case INT8 -> data.get(at);
            case UINT8, BOOL -> data.get(at) & 0xff;
        };
    }

    /** IEEE 754 binary16 to binary32; every half value is exactly representable as a float. */
    static float halfToFloat(short half) {
        int bits = half & 0xffff;
        int sign = (bits & 0x8000) << 16;
        int exponent = (bits >>> 10) & 0x1f;
        int mantissa = bits & 0x3ff;
        if (exponent == 0) {
            float magnitude = mantissa * 0x1p-24f;
            return sign == 0 ? magnitude : -magnitude;
        }
        if (exponent == 31) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
        }
        return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
    }
}
