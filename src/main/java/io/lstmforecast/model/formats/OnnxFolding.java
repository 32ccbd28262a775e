package io.lstmforecast.model.formats;

import io.lstmforecast.model.ModelFormatException;
import io.lstmforecast.model.NpyArray;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import onnx.Onnx;

/**
 * The shape operations {@link OnnxTensors} evaluates on constants: Identity, Cast (to a float type), Unsqueeze,
 * Squeeze, Reshape, Transpose, Concat and Slice (step 1), with their attributes of opset 9 or their inputs of the
 * later opsets. Values only move; none is computed. Integer inputs (axes, starts, shapes) arrive as floats, exact
 * for every size a weight can have.
 */
final class OnnxFolding {
    static final Set<String> OPS =
            Set.of("Identity", "Cast", "Unsqueeze", "Squeeze", "Reshape", "Transpose", "Concat", "Slice");
    private static final Set<Integer> FLOAT_TYPES = Set.of(
            Onnx.TensorProto.DataType.FLOAT_VALUE,
            Onnx.TensorProto.DataType.DOUBLE_VALUE,
            Onnx.TensorProto.DataType.FLOAT16_VALUE);

    private OnnxFolding() {}

    /** The node's output from its constant inputs (null for an absent optional input), or null if it cannot fold. */
    static NpyArray apply(Onnx.NodeProto n, List<NpyArray> in, String source) {
        String where = source + ": node '" + n.getName() + "' (" + n.getOpType() + ")";
        if (in.isEmpty() || in.get(0) == null) {
            return null;
        }
        NpyArray x = in.get(0);
        int[] s = x.shape();
        return switch (n.getOpType()) {
            case "Identity" -> x;
            case "Cast" -> FLOAT_TYPES.contains((int) attribute(n, "to", -1)) ? x : null;
            case "Unsqueeze" -> {
                int[] axes = axes(n, in, s.length + countOf(n, in), where);
                int[] out = new int[s.length + axes.length];
                Arrays.fill(out, -1);
                for (int a : axes) {
                    out[a] = 1;
                }
                for (int i = 0, j = 0; i < out.length; i++) {
                    if (out[i] == -1) {
                        out[i] = s[j++];
                    }
                }
                yield new NpyArray(out, x.data());
            }
            case "Squeeze" -> {
                int[] axes = hasAxes(n, in) ? axes(n, in, s.length, where) : null;
                List<Integer> out = new ArrayList<>();
                for (int i = 0; i < s.length; i++) {
                    int axis = i;
                    boolean squeezed =
                            axes == null ? s[i] == 1 : Arrays.stream(axes).anyMatch(a -> a == axis);
                    if (squeezed && s[i] != 1) {
                        throw new ModelFormatException(where + " squeezes axis " + i + " of size " + s[i]);
                    }
                    if (!squeezed) {
                        out.add(s[i]);
                    }
                }
                yield new NpyArray(out.stream().mapToInt(Integer::intValue).toArray(), x.data());
            }
            case "Reshape" ->
                in.size() < 2 || in.get(1) == null
                        ? null
                        : new NpyArray(
                                reshape(s, in.get(1), x.data().length, attribute(n, "allowzero", 0) != 0, where),
                                x.data());
            case "Transpose" -> transpose(x, perm(n, s.length, where));
            case "Concat" -> concat(in, normalised((int) attribute(n, "axis", 0), s.length, where), where);
            case "Slice" -> slice(n, in, where);
            default -> null;
        };
    }

    private static NpyArray transpose(NpyArray x, int[] perm) {
        int[] s = x.shape();
        int[] out = new int[s.length];
        for (int i = 0; i < s.length; i++) {
            out[i] = s[perm[i]];
        }
        int[] inStride = strides(s);
        float[] data = new float[x.data().length];
        int[] index = new int[out.length];
        for (int k = 0; k < data.length; k++) {
            int at = 0;
            for (int d = 0; d < out.length; d++) {
                at += index[d] * inStride[perm[d]];
            }
            data[k] = x.data()[at];
            for (int d = out.length - 1; d >= 0 && ++index[d] == out[d]; d--) {
                index[d] = 0;
            }
        }
        return new NpyArray(out, data);
    }

    private static NpyArray concat(List<NpyArray> parts, int axis, String where) {
        int[] first = parts.get(0).shape();
        int[] out = first.clone();
        long along = 0;
        for (NpyArray p : parts) {
            if (p == null || p.rank() != first.length) {
                throw new ModelFormatException(where + " concatenates tensors of different ranks");
            }
            for (int d = 0; d < first.length; d++) {
                if (d != axis && p.dim(d) != first[d]) {
                    throw new ModelFormatException(
                            where + " concatenates shapes " + NpyArray.describe(first) + " and " + p.shapeString());
                }
            }
            along += p.dim(axis);
        }
        if (along > Shapes.MAX_ELEMENTS) {
            throw new ModelFormatException(where + " concatenates more than one array can hold");
        }
        out[axis] = (int) along;
        int outer = 1;
        for (int d = 0; d < axis; d++) {
            outer *= first[d];
        }
        float[] data = new float[(int) Shapes.checkedCount(out, where)];
        int at = 0;
        for (int o = 0; o < outer; o++) {
            for (NpyArray p : parts) {
                int block = p.data().length / Math.max(1, outer);
                System.arraycopy(p.data(), o * block, data, at, block);
                at += block;
            }
        }
        return new NpyArray(out, data);
    }

    private static NpyArray slice(Onnx.NodeProto n, List<NpyArray> in, String where) {
        NpyArray x = in.get(0);
        int[] s = x.shape();
        long[] starts;
        long[] ends;
        long[] axes;
        if (in.size() > 1) {
            // Opset 10 and later: starts, ends, axes, steps are inputs; only step 1 (what exporters write) folds.
            if (in.get(1) == null || in.size() < 3 || in.get(2) == null) {
                return null;
            }
            starts = longs(in.get(1));
            ends = longs(in.get(2));
            axes = in.size() > 3 && in.get(3) != null ? longs(in.get(3)) : null;
            if (in.size() > 4
                    && in.get(4) != null
                    && Arrays.stream(longs(in.get(4))).anyMatch(v -> v != 1)) {
                return null;
            }
        } else {
            starts = ints(n, "starts");
            ends = ints(n, "ends");
            axes = n.getAttributeList().stream().anyMatch(a -> a.getName().equals("axes")) ? ints(n, "axes") : null;
        }
        if (starts.length != ends.length || (axes != null && axes.length != starts.length)) {
            throw new ModelFormatException(where + " has starts, ends and axes of different lengths");
        }
        int[] from = new int[s.length];
        int[] out = s.clone();
        for (int i = 0; i < starts.length; i++) {
            int axis = normalised(axes == null ? i : (int) axes[i], s.length, where);
            int begin = clamp(starts[i], s[axis]);
            int end = clamp(ends[i], s[axis]);
            from[axis] = begin;
            out[axis] = Math.max(0, end - begin);
        }
        int[] stride = strides(s);
        float[] data = new float[(int) Shapes.checkedCount(out, where)];
        int[] index = new int[out.length];
        for (int k = 0; k < data.length; k++) {
            int at = 0;
            for (int d = 0; d < out.length; d++) {
                at += (from[d] + index[d]) * stride[d];
            }
            data[k] = x.data()[at];
            for (int d = out.length - 1; d >= 0 && ++index[d] == out[d]; d--) {
                index[d] = 0;
            }
        }
        return new NpyArray(out, data);
    }

    private static int[] reshape(int[] s, NpyArray shape, int count, boolean allowZero, String where) {
        long[] wanted = longs(shape);
        int[] out = new int[wanted.length];
        int unknown = -1;
        long known = 1;
        for (int i = 0; i < out.length; i++) {
            long v = wanted[i] == 0 && !allowZero ? (i < s.length ? s[i] : -2) : wanted[i];
            if (v == -1 && unknown < 0) {
                unknown = i;
                continue;
            }
            if (v < 0 || v > Integer.MAX_VALUE) {
                throw new ModelFormatException(where + " reshapes to an impossible shape " + Arrays.toString(wanted));
            }
            out[i] = (int) v;
            known *= v;
            if (known > Integer.MAX_VALUE) {
                throw new ModelFormatException(where + " reshapes to an impossible shape " + Arrays.toString(wanted));
            }
        }
        if (unknown >= 0) {
            if (known == 0 || count % known != 0) {
                throw new ModelFormatException(
                        where + " cannot reshape " + count + " values to " + Arrays.toString(wanted));
            }
            out[unknown] = (int) (count / known);
            known *= out[unknown];
        }
        if (known != count) {
            throw new ModelFormatException(
                    where + " cannot reshape " + count + " values to " + Arrays.toString(wanted));
        }
        return out;
    }

    private static int[] perm(Onnx.NodeProto n, int rank, String where) {
        long[] given = n.getAttributeList().stream().anyMatch(a -> a.getName().equals("perm")) ? ints(n, "perm") : null;
        int[] perm = new int[rank];
        boolean[] seen = new boolean[rank];
        for (int i = 0; i < rank; i++) {
            perm[i] =
                    given == null ? rank - 1 - i : given.length == rank ? normalised((int) given[i], rank, where) : -1;
            if (perm[i] < 0 || seen[perm[i]]) {
                throw new ModelFormatException(
                        where + " has perm " + Arrays.toString(given) + ", not a permutation of " + rank + " axes");
            }
            seen[perm[i]] = true;
        }
        return perm;
    }

    /** Axes from the attribute (opset 9) or the second input (opset 13), normalised against {@code rank}, sorted. */
    private static int[] axes(Onnx.NodeProto n, List<NpyArray> in, int rank, String where) {
        long[] given = in.size() > 1 && in.get(1) != null ? longs(in.get(1)) : ints(n, "axes");
        int[] axes = new int[given.length];
        for (int i = 0; i < axes.length; i++) {
            axes[i] = normalised((int) given[i], rank, where);
        }
        Arrays.sort(axes);
        for (int i = 1; i < axes.length; i++) {
            if (axes[i] == axes[i - 1]) {
                throw new ModelFormatException(where + " names axis " + axes[i] + " twice");
            }
        }
        return axes;
    }

    private static boolean hasAxes(Onnx.NodeProto n, List<NpyArray> in) {
        return (in.size() > 1 && in.get(1) != null)
                || n.getAttributeList().stream().anyMatch(a -> a.getName().equals("axes"));
    }

    private static int countOf(Onnx.NodeProto n, List<NpyArray> in) {
        return in.size() > 1 && in.get(1) != null ? in.get(1).data().length : ints(n, "axes").length;
    }

    private static int normalised(int axis, int rank, String where) {
        int a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) {
            throw new ModelFormatException(where + " names axis " + axis + " of a tensor of rank " + rank);
        }
        return a;
    }

    private static int clamp(long index, int size) {
        long i = index < 0 ? index + size : index;
        return (int) Math.max(0, Math.min(size, i));
    }

    private static int[] strides(int[] shape) {
        int[] stride = new int[shape.length];
        int step = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            stride[d] = step;
            step *= shape[d];
        }
        return stride;
    }

    private static long[] longs(NpyArray a) {
        long[] v = new long[a.data().length];
        for (int i = 0; i < v.length; i++) {
            v[i] = (long) a.data()[i];
        }
        return v;
    }

    private static long[] ints(Onnx.NodeProto n, String name) {
        return n.getAttributeList().stream()
                .filter(a -> a.getName().equals(name))
                .findFirst()
                .map(a -> a.getIntsList().stream().mapToLong(Long::longValue).toArray())
                .orElse(new long[0]);
    }

    static long attribute(Onnx.NodeProto n, String name, long otherwise) {
        return n.getAttributeList().stream()
                .filter(a -> a.getName().equals(name))
                .mapToLong(Onnx.AttributeProto::getI)
                .findFirst()
                .orElse(otherwise);
    }
}
