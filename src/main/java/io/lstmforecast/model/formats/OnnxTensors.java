package io.lstmforecast.model.formats;

import io.lstmforecast.model.ModelFormatException;
import io.lstmforecast.model.NpyArray;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import onnx.Onnx;

/**
 * The constant tensors of an ONNX graph, as float32 arrays: initializers and the outputs of Constant nodes, the two
 * places {@code torch.onnx.export} puts weights, and what shape operations make of them. Exported with
 * {@code do_constant_folding=False}, a layer's W is computed in the graph from PyTorch's own tensors by Slice, Concat
 * and Unsqueeze nodes (the gate reordering), and a head's weight by a Transpose: {@link OnnxFolding} evaluates
 * those. A tensor is converted when it is first asked for, after its shape has been checked against the data the
 * file holds for it; folding is bounded in depth and in the elements it may produce.
 */
final class OnnxTensors {
    private static final int MAX_FOLD_DEPTH = 64;

    private final Map<String, Onnx.TensorProto> stored = new HashMap<>();
    private final Map<String, NpyArray> converted = new HashMap<>();
    private final Map<String, Onnx.NodeProto> producers = new HashMap<>();
    private final String source;
    /** Elements folding may still produce: a few times the file's own, so that Concat(A, A, ...) cannot blow up. */
    private long foldBudget;

    OnnxTensors(Onnx.GraphProto graph, String source, long fileBytes) {
        this.source = source;
        this.foldBudget = fileBytes + (1 << 20);
        for (Onnx.TensorProto t : graph.getInitializerList()) {
            stored.put(t.getName(), t);
        }
        for (Onnx.NodeProto n : graph.getNodeList()) {
            for (String out : n.getOutputList()) {
                producers.put(out, n);
            }
            if (n.getOpType().equals("Constant") && n.getOutputCount() == 1) {
                n.getAttributeList().stream()
                        .filter(a -> a.getName().equals("value"))
                        .findFirst()
                        .ifPresent(a -> stored.put(n.getOutput(0), a.getT()));
            }
        }
    }

    /** The node whose output {@code name} is, or null for graph inputs and initializers. */
    Onnx.NodeProto producer(String name) {
        return producers.get(name);
    }

    /** Whether {@code name} is stored in the file (an initializer or a Constant node's output). */
    boolean has(String name) {
        return stored.containsKey(name);
    }

    /** The constant {@code name} as float32, or null when the graph computes it from its inputs. */
    NpyArray get(String name) {
        return get(name, 0);
    }

    private NpyArray get(String name, int depth) {
        NpyArray done = converted.get(name);
        if (done != null) {
            return done;
        }
        Onnx.TensorProto t = stored.get(name);
        NpyArray value = t != null ? convert(t, source + ": tensor '" + name + "'") : fold(name, depth);
        if (value != null) {
            converted.put(name, value);
        }
        return value;
    }

    /** Evaluates the shape operation that makes {@code name} when all its inputs are constants; else null. */
    private NpyArray fold(String name, int depth) {
        Onnx.NodeProto n = producers.get(name);
        if (n == null || depth >= MAX_FOLD_DEPTH || !OnnxFolding.OPS.contains(n.getOpType())) {
            return null;
        }
        List<NpyArray> inputs = new java.util.ArrayList<>();
        for (String in : n.getInputList()) {
            NpyArray a = in.isEmpty() ? null : get(in, depth + 1);
            if (a == null && !in.isEmpty()) {
                return null;
            }
            inputs.add(a);
        }
        // No operation here makes more elements than its inputs hold together: charge that before allocating.
        long size = inputs.stream()
                .filter(a -> a != null)
                .mapToLong(a -> a.data().length)
                .sum();
        foldBudget -= size;
        if (foldBudget < 0) {
            throw new ModelFormatException(source + ": the constants computed in the graph grow far beyond the weights"
                    + " the file holds; export with do_constant_folding=True");
        }
        return OnnxFolding.apply(n, inputs, source);
    }

    static NpyArray convert(Onnx.TensorProto t, String where) {
        if (t.getDataLocation() == Onnx.TensorProto.DataLocation.EXTERNAL) {
            throw new ModelFormatException(where + " is stored in an external file; save the model as one file with"
                    + " onnx.save(model, path, save_as_external_data=False)");
        }
        int[] shape = Shapes.checked(
                t.getDimsList().stream().mapToLong(Long::longValue).toArray(), where);
        int count = (int) NpyArray.elementCount(shape);
        ElementType type = switch (t.getDataType()) {
            case Onnx.TensorProto.DataType.FLOAT_VALUE -> ElementType.FLOAT32;
            case Onnx.TensorProto.DataType.DOUBLE_VALUE -> ElementType.FLOAT64;
            case Onnx.TensorProto.DataType.FLOAT16_VALUE -> ElementType.FLOAT16;
            case Onnx.TensorProto.DataType.BFLOAT16_VALUE -> ElementType.BFLOAT16;
            case Onnx.TensorProto.DataType.INT64_VALUE -> ElementType.INT64;
            case Onnx.TensorProto.DataType.INT32_VALUE -> ElementType.INT32;
            default ->
                throw new ModelFormatException(where + " has ONNX data type " + t.getDataType()
                        + "; weights must be float32, float64 or float16");
        };
        // The data the file holds is checked against the shape before anything is allocated for the shape.
        if (!t.getRawData().isEmpty()) {
            if (t.getRawData().size() != (long) count * type.width) {
                throw new ModelFormatException(
                        where + " holds " + t.getRawData().size() + " bytes but shape " + NpyArray.describe(shape)
                                + " of " + type + " needs " + (long) count * type.width);
            }
            float[] values = new float[count];
            ByteBuffer raw = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < count; i++) {
                values[i] = type.get(raw, i);
            }
            return new NpyArray(shape, values);
        }
        List<? extends Number> typed = switch (type) {
            case FLOAT32 -> t.getFloatDataList();
            case FLOAT64 -> t.getDoubleDataList();
            case INT64 -> t.getInt64DataList();
            default -> t.getInt32DataList(); // int32, and the bits of float16 and bfloat16
        };
        if (typed.size() != count) {
            throw new ModelFormatException(where + " holds " + typed.size() + " values but shape "
                    + NpyArray.describe(shape) + " needs " + count);
        }
        float[] values = new float[count];
        ByteBuffer bits = ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < count; i++) {
            Number v = typed.get(i);
            if (type == ElementType.FLOAT16 || type == ElementType.BFLOAT16) {
                values[i] = type.get(bits.putShort(0, (short) v.intValue()), 0);
            } else {
                values[i] = v.floatValue();
            }
        }
        return new NpyArray(shape, values);
    }
}
