package io.lstmforecast.model;

import java.util.Arrays;

/** One named float32 tensor as stored in a .npy file: C-order data and its shape. */
public record NpyArray(int[] shape, float[] data) {

    public NpyArray {
        if (elementCount(shape) != data.length) {
            throw new IllegalArgumentException(
                    "shape " + describe(shape) + " holds " + elementCount(shape) + " values, not " + data.length);
        }
    }

    public static NpyArray of(float[] data, int... shape) {
        return new NpyArray(shape.clone(), data);
    }

    public int rank() {
        return shape.length;
    }

    public int dim(int axis) {
        return shape[axis];
    }

    public boolean hasShape(int... expected) {
        return Arrays.equals(shape, expected);
    }

    public String shapeString() {
        return describe(shape);
    }

    public static long elementCount(int[] shape) {
        long n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    /** Shapes written as PyTorch prints them, e.g. (256, 3). */
    public static String describe(int[] shape) {
        StringBuilder b = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            b.append(i == 0 ? "" : ", ").append(shape[i]);
        }
        return b.append(shape.length == 1 ? ",)" : ")").toString();
    }

    /** The index of the first NaN or infinite value, or -1. */
    public int firstNonFinite() {
        for (int i = 0; i < data.length; i++) {
            if (!Float.isFinite(data[i])) {
                return i;
            }
        }
        return -1;
    }
}
