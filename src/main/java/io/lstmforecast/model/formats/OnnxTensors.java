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
 * places {@code torch.onnx.export} puts weights. A tensor is converted when it is first asked for, after its shape
 * has been checked against the data the file holds for it.
 */
final class OnnxTensors {
    private final Map<String, Onnx.TensorProto> stored = new HashMap<>();
    private final Map<String, NpyArray> converted = new HashMap<>();
    private final String source;

    OnnxTensors(Onnx.GraphProto graph, String source) {
        this.source = source;
        for (Onnx.TensorProto t : graph.getInitializerList()) {
            stored.put(t.getName(), t);
        }
        for (Onnx.NodeProto n : graph.getNodeList()) {
            if (n.getOpType().equals("Constant") && n.getOutputCount() == 1) {
                n.getAttributeList().stream().filter(a -> a.getName().equals("value")).findFirst()
                        .ifPresent(a -> stored.put(n.getOutput(0), a.getT()));
            }
        }
    }

    /** Whether {@code name} is a constant (an initializer or a Constant node's output). */
    boolean has(String name) {
        return stored.containsKey(name);
    }

    /** The constant {@code name} as float32, or null when the graph computes it. */
    NpyArray get(String name) {
        Onnx.TensorProto t = stored.get(name);
        if (t == null) {
            return null;
        }
        return converted.computeIfAbsent(name, k -> convert(t, source + ": tensor '" + k + "'"));
    }

    static NpyArray convert(Onnx.TensorProto t, String where) {
        if (t.getDataLocation() == Onnx.TensorProto.DataLocation.EXTERNAL) {
            throw new ModelFormatException(where + " is stored in an external file; save the model as one file with"
                    + " onnx.save(model, path, save_as_external_data=False)");
        }
        int[] shape = Shapes.checked(t.getDimsList().stream().mapToLong(Long::longValue).toArray(), where);
        int count = (int) NpyArray.elementCount(shape);
        ElementType type = switch (t.getDataType()) {
            case Onnx.TensorProto.DataType.FLOAT_VALUE -> ElementType.FLOAT32;
            case Onnx.TensorProto.DataType.DOUBLE_VALUE -> ElementType.FLOAT64;
            case Onnx.TensorProto.DataType.FLOAT16_VALUE -> ElementType.FLOAT16;
            case Onnx.TensorProto.DataType.BFLOAT16_VALUE -> ElementType.BFLOAT16;
            case Onnx.TensorProto.DataType.INT64_VALUE -> ElementType.INT64;
            case Onnx.TensorProto.DataType.INT32_VALUE -> ElementType.INT32;
            default -> throw new ModelFormatException(where + " has ONNX data type " + t.getDataType()
                    + "; weights must be float32, float64 or float16");
        };
        float[] values = new float[count];
        if (!t.getRawData().isEmpty()) {
            if (t.getRawData().size() != (long) count * type.width) {
                throw new ModelFormatException(where + " holds " + t.getRawData().size() + " bytes but shape "
                        + NpyArray.describe(shape) + " of " + type + " needs " + (long) count * type.width);
            }
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
