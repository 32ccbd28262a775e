package io.lstmforecast.model.formats;

import io.lstmforecast.model.ModelFormatException;
import io.lstmforecast.model.NpyArray;
import java.util.Arrays;

/** Shapes read from a file, checked before anything is allocated for them. */
final class Shapes {
    /** Most elements of one tensor: one Java float array. */
    static final long MAX_ELEMENTS = Integer.MAX_VALUE - 16;

    private Shapes() {}

    /** The element count of {@code shape}, checked to fit in one array. */
    static long checkedCount(int[] shape, String where) {
        long count = 1;
        for (int d : shape) {
            count *= d;
            if (d < 0 || count > MAX_ELEMENTS) {
                throw new ModelFormatException(
                        where + " makes a tensor of shape " + NpyArray.describe(shape) + ", too large for one array");
            }
        }
        return count;
    }

    /** The dimensions as ints; each must be non-negative and their product must fit in one array. */
    static int[] checked(long[] dims, String where) {
        if (dims.length > 8) {
            throw new ModelFormatException(where + " has " + dims.length + " dimensions; a weight has at most 3");
        }
        long count = 1;
        int[] shape = new int[dims.length];
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] < 0 || dims[i] > MAX_ELEMENTS) {
                throw new ModelFormatException(where + " has an impossible shape " + Arrays.toString(dims));
            }
            shape[i] = (int) dims[i];
            count *= dims[i];
            if (count > MAX_ELEMENTS) {
                throw new ModelFormatException(
                        where + " has shape " + NpyArray.describe(shape) + ", too large for one array");
            }
        }
        return shape;
    }
}
