package io.lstmforecast.model.formats;

import io.lstmforecast.model.ModelFormatException;
import io.lstmforecast.model.NpyArray;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import onnx.Onnx;
import org.nd4j.shade.protobuf.InvalidProtocolBufferException;

/**
 * Reads an ONNX model as {@code torch.onnx.export} writes an {@code nn.LSTM} or {@code nn.GRU} with an optional
 * {@code nn.Linear} head (opsets 9 to 17): one LSTM or GRU node per layer, each fed by the one before, and a Gemm or
 * a MatMul + Add after the last. The weights come out under PyTorch's state_dict names ({@code rnn.weight_ih_l0} ...,
 * {@code head.weight}, {@code head.bias}) in PyTorch's layouts, so the engine runs them as it runs a state_dict:
 * ONNX's gate order i, o, f, c becomes PyTorch's i, f, g, o; GRU's z, r, h becomes r, z, n; B splits into the input
 * and the hidden biases.
 *
 * <p>Only graphs the engine computes exactly are accepted. Every node must be a recurrent layer, part of the head,
 * or one of the shape operations exporters put between them; a layer that is bidirectional, has peepholes (input P),
 * clips, uses other activations, couples its input and forget gates, or is a GRU with {@code linear_before_reset=0}
 * (ONNX's default GRU, which is not PyTorch's) is refused with the node and the attribute named. Weights are read
 * where they are stored, or evaluated from stored tensors by shape operations ({@link OnnxTensors}). The protobuf is
 * parsed by ONNX's generated classes (bundled with ND4J).
 */
final class OnnxModelReader {
    /** Operations that only move, reshape or describe tensors (exporters put them around recurrent layers). */
    private static final Set<String> SHAPE_OPS = Set.of(
            "Constant",
            "ConstantOfShape",
            "Shape",
            "Gather",
            "Unsqueeze",
            "Squeeze",
            "Concat",
            "Expand",
            "Reshape",
            "Transpose",
            "Slice",
            "Identity",
            "Cast");
    /** Operations that may lie between two layers without changing a value. */
    private static final Set<String> PASS_THROUGH = Set.of("Squeeze", "Unsqueeze", "Reshape", "Transpose", "Identity");
    /** ... and between the last layer and the head, which may also take one step (y[-1]) of the output. */
    private static final Set<String> HEAD_PASS_THROUGH =
            Set.of("Squeeze", "Unsqueeze", "Reshape", "Transpose", "Identity", "Gather", "Slice");

    private static final Set<String> HEAD_OPS = Set.of("Gemm", "MatMul", "Add");
    private static final int MIN_OPSET = 7;
    private static final int MAX_OPSET = 21;

    private final String source;
    private final Onnx.GraphProto graph;
    private final OnnxTensors constants;

    private OnnxModelReader(Onnx.GraphProto graph, String source, long fileBytes) {
        this.graph = graph;
        this.source = source;
        this.constants = new OnnxTensors(graph, source, fileBytes);
    }

    static Map<String, NpyArray> read(byte[] bytes, String source) {
        Onnx.ModelProto model;
        try {
            model = Onnx.ModelProto.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new ModelFormatException(
                    source + " is not a readable ONNX model (" + e.getMessage() + "); is the file" + " truncated?", e);
        }
        checkOpset(model, source);
        if (model.getGraph().getNodeCount() == 0) {
            throw new ModelFormatException(source + " is an ONNX model without a graph");
        }
        return new OnnxModelReader(model.getGraph(), source, bytes.length).stateDict();
    }

    private static void checkOpset(Onnx.ModelProto model, String source) {
        for (Onnx.OperatorSetIdProto opset : model.getOpsetImportList()) {
            String domain = opset.getDomain();
            if ((domain.isEmpty() || domain.equals("ai.onnx"))
                    && (opset.getVersion() < MIN_OPSET || opset.getVersion() > MAX_OPSET)) {
                throw new ModelFormatException(source + " uses ONNX opset " + opset.getVersion() + "; opsets "
                        + MIN_OPSET + " to " + MAX_OPSET + " are read (export with opset_version between 9 and 17)");
            }
        }
    }

    private Map<String, NpyArray> stateDict() {
        List<Onnx.NodeProto> layers = new ArrayList<>();
        List<Onnx.NodeProto> head = new ArrayList<>();
        int lastLayer = -1;
        for (int i = 0; i < graph.getNodeCount(); i++) {
            Onnx.NodeProto n = graph.getNode(i);
            String op = n.getOpType();
            if (!n.getDomain().isEmpty() && !n.getDomain().equals("ai.onnx")) {
                throw fail(n, "is an operation of the domain '" + n.getDomain() + "', which the engine does not run");
            }
            if (op.equals("LSTM") || op.equals("GRU")) {
                if (!head.isEmpty()) {
                    throw fail(
                            head.get(0),
                            "comes before a recurrent layer; only a Linear head after the last layer is read");
                }
                layers.add(n);
                lastLayer = i;
            } else if (HEAD_OPS.contains(op)) {
                head.add(n);
            } else if (!SHAPE_OPS.contains(op)) {
                throw fail(
                        n,
                        "is an operation the engine does not run; a model is LSTM or GRU layers and an optional"
                                + " Linear head (Gemm, or MatMul and Add)");
            }
        }
        if (layers.isEmpty()) {
            throw new ModelFormatException(
                    source + " has no LSTM or GRU node; export an nn.LSTM or nn.GRU with" + " torch.onnx.export");
        }
        Map<String, NpyArray> tensors = new LinkedHashMap<>();
        String cell = layers.get(0).getOpType();
        for (int k = 0; k < layers.size(); k++) {
            Onnx.NodeProto n = layers.get(k);
            if (!n.getOpType().equals(cell)) {
                throw fail(
                        n,
                        "is a " + n.getOpType() + " layer after " + cell + " layers; all layers must be of one kind");
            }
            String input = trace(n.getInput(0), PASS_THROUGH);
            boolean chained = k == 0
                    ? isGraphInput(input)
                    : input.equals(layers.get(k - 1).getOutput(0));
            if (!chained) {
                throw fail(
                        n,
                        "takes its input X from '" + input + "', not from "
                                + (k == 0 ? "the graph's input" : "the output Y of the layer before"));
            }
            layer(n, k, k == 0 ? -1 : tensors.get("rnn.weight_hh_l" + (k - 1)).dim(1), tensors);
        }
        if (!head.isEmpty()) {
            linearHead(
                    head,
                    layers.get(layers.size() - 1),
                    tensors.get("rnn.weight_hh_l" + (layers.size() - 1)).dim(1),
                    tensors);
        }
        return tensors;
    }

    /** Converts one layer; {@code inputSize} is the previous layer's hidden size (-1 for the first layer). */
    private void layer(Onnx.NodeProto n, int k, int inputSize, Map<String, NpyArray> out) {
        boolean lstm = n.getOpType().equals("LSTM");
        int gates = lstm ? 4 : 3;
        checkAttributes(n, lstm);
        if (n.getInputCount() > 7 && !n.getInput(7).isEmpty()) {
            throw fail(
                    n,
                    "has peephole weights (input P, '" + n.getInput(7) + "'); PyTorch's nn.LSTM has none, and the"
                            + " engine runs ONNX's peephole LSTM only as the 'peephole' cell of a state_dict");
        }
        NpyArray w = weight(n, 1, "W");
        NpyArray r = weight(n, 2, "R");
        int hidden = (int) OnnxFolding.attribute(n, "hidden_size", r.rank() == 3 ? r.dim(2) : -1);
        int in = w.rank() == 3 ? w.dim(2) : -1;
        requireShape(n, "W", w, 1, gates * hidden, in);
        requireShape(n, "R", r, 1, gates * hidden, hidden);
        if (inputSize >= 0 && in != inputSize) {
            throw fail(n, "has input size " + in + " but the layer before has hidden size " + inputSize);
        }
        NpyArray b = n.getInputCount() > 3 && !n.getInput(3).isEmpty() ? weight(n, 3, "B") : null;
        if (b != null) {
            requireShape(n, "B", b, 1, 2 * gates * hidden);
        }
        int[] order = lstm ? new int[] {0, 2, 3, 1} : new int[] {1, 0, 2};
        String layer = "_l" + k;
        out.put("rnn.weight_ih" + layer, gateBlocks(w.data(), 0, order, hidden, in));
        out.put("rnn.weight_hh" + layer, gateBlocks(r.data(), 0, order, hidden, hidden));
        float[] bias = b != null ? b.data() : new float[2 * gates * hidden];
        out.put(
                "rnn.bias_ih" + layer,
                NpyArray.of(gateBlocks(bias, 0, order, hidden, 1).data(), gates * hidden));
        out.put(
                "rnn.bias_hh" + layer,
                NpyArray.of(gateBlocks(bias, gates * hidden, order, hidden, 1).data(), gates * hidden));
    }

    /** PyTorch's gate block j is ONNX's block {@code order[j]}; each block is {@code hidden} rows of {@code cols}. */
    private static NpyArray gateBlocks(float[] onnx, int offset, int[] order, int hidden, int cols) {
        int block = hidden * cols;
        float[] torch = new float[order.length * block];
        for (int j = 0; j < order.length; j++) {
            System.arraycopy(onnx, offset + order[j] * block, torch, j * block, block);
        }
        return NpyArray.of(torch, order.length * hidden, cols);
    }

    private void checkAttributes(Onnx.NodeProto n, boolean lstm) {
        for (Onnx.AttributeProto a : n.getAttributeList()) {
            switch (a.getName()) {
                case "hidden_size", "layout" -> {
                    // The hidden size is checked against R; the layout (batch or time first) does not change a step.
                }
                case "direction" -> {
                    String direction = a.getS().toStringUtf8();
                    if (!direction.equals("forward")) {
                        throw fail(
                                n,
                                "has direction=" + direction + "; the engine runs forward layers only (an entity's"
                                        + " future events are not known), so export with bidirectional=False");
                    }
                }
                case "activations" -> {
                    List<String> given = a.getStringsList().stream()
                            .map(s -> s.toStringUtf8())
                            .toList();
                    List<String> defaults = lstm ? List.of("Sigmoid", "Tanh", "Tanh") : List.of("Sigmoid", "Tanh");
                    if (!given.equals(defaults)) {
                        throw fail(
                                n,
                                "has activations=" + given + "; only the defaults " + defaults
                                        + " (PyTorch's) are run");
                    }
                }
                case "clip" ->
                    throw fail(n, "has clip=" + a.getF() + "; PyTorch's cells do not clip, nor does the engine");
                case "input_forget" -> {
                    if (a.getI() != 0) {
                        throw fail(
                                n,
                                "has input_forget=" + a.getI() + "; PyTorch's nn.LSTM has separate input and forget"
                                        + " gates (use the 'cifg' cell in a state_dict for a coupled one)");
                    }
                }
                case "linear_before_reset" -> {
                    if (lstm) {
                        throw fail(n, "has attribute linear_before_reset, which an LSTM node does not take");
                    }
                }
                case "activation_alpha", "activation_beta" ->
                    throw fail(n, "has " + a.getName() + "; only the default activations are run");
                default -> throw fail(n, "has attribute " + a.getName() + ", which the engine does not know");
            }
        }
        if (!lstm && OnnxFolding.attribute(n, "linear_before_reset", 0) != 1) {
            throw fail(
                    n,
                    "has linear_before_reset=" + OnnxFolding.attribute(n, "linear_before_reset", 0)
                            + ", ONNX's default GRU, which"
                            + " applies the reset gate before the hidden weights; PyTorch's nn.GRU (linear_before_reset=1) is run");
        }
    }

    /** The trailing Linear: Gemm(x, W, b), or Add(MatMul(x, W), b) with W of shape (H, outputs). */
    private void linearHead(List<Onnx.NodeProto> nodes, Onnx.NodeProto last, int hidden, Map<String, NpyArray> out) {
        Onnx.NodeProto first = nodes.get(0);
        NpyArray weight;
        NpyArray bias = null;
        if (nodes.size() == 1 && first.getOpType().equals("Gemm")) {
            requireHeadInput(first, last);
            checkGemm(first);
            weight = weight(first, 1, "B");
            if (weight.rank() != 2) {
                throw fail(
                        first, "has a weight of shape " + weight.shapeString() + "; a Linear head's is 2-dimensional");
            }
            if (OnnxFolding.attribute(first, "transB", 0) == 0) {
                weight = transposed(weight);
            }
            if (first.getInputCount() > 2 && !first.getInput(2).isEmpty()) {
                bias = weight(first, 2, "C");
            }
        } else if (first.getOpType().equals("MatMul") && nodes.size() <= 2) {
            requireHeadInput(first, last);
            weight = weight(first, 1, "B");
            if (weight.rank() != 2) {
                throw fail(
                        first, "has a weight of shape " + weight.shapeString() + "; a Linear head's is 2-dimensional");
            }
            weight = transposed(weight);
            if (nodes.size() == 2) {
                Onnx.NodeProto add = nodes.get(1);
                int matmul = add.getInputList().indexOf(first.getOutput(0));
                if (!add.getOpType().equals("Add") || add.getInputCount() != 2 || matmul < 0) {
                    throw fail(add, "does not add a bias to the head's MatMul '" + first.getOutput(0) + "'");
                }
                bias = constant(add, 1 - matmul, "the bias");
            }
        } else {
            throw fail(
                    first,
                    "and the nodes "
                            + nodes.stream()
                                    .skip(1)
                                    .map(OnnxModelReader::describe)
                                    .toList() + " do not form one Linear head (a Gemm, or a MatMul and an Add)");
        }
        if (weight.dim(1) != hidden) {
            throw fail(
                    first,
                    "has a weight for " + weight.dim(1) + " inputs but the last layer has hidden size " + hidden);
        }
        int outputs = weight.dim(0);
        if (bias == null) {
            bias = NpyArray.of(new float[outputs], outputs);
        }
        if (bias.data().length != outputs) {
            throw fail(first, "has a bias of shape " + bias.shapeString() + " for " + outputs + " outputs");
        }
        out.put("head.weight", weight);
        out.put("head.bias", NpyArray.of(bias.data(), outputs));
    }

    private void checkGemm(Onnx.NodeProto n) {
        for (Onnx.AttributeProto a : n.getAttributeList()) {
            boolean identity = switch (a.getName()) {
                case "alpha", "beta" -> a.getF() == 1f;
                case "transA" -> a.getI() == 0;
                case "transB" -> true;
                default -> false;
            };
            if (!identity) {
                throw fail(
                        n,
                        "has " + a.getName() + "="
                                + (a.getType() == Onnx.AttributeProto.AttributeType.FLOAT ? a.getF() : a.getI())
                                + "; a Linear head is Gemm with alpha=1, beta=1, transA=0");
            }
        }
    }

    private void requireHeadInput(Onnx.NodeProto head, Onnx.NodeProto last) {
        String input = trace(head.getInput(0), HEAD_PASS_THROUGH);
        if (!input.equals(last.getOutput(0)) && !(last.getOutputCount() > 1 && input.equals(last.getOutput(1)))) {
            throw fail(head, "takes its input from '" + input + "', not from the last recurrent layer's output");
        }
    }

    /** Follows {@code name} back through the given value-preserving operations to where it comes from. */
    private String trace(String name, Set<String> through) {
        for (int hops = 0; hops <= graph.getNodeCount(); hops++) {
            Onnx.NodeProto p = constants.producer(name);
            if (p == null || !through.contains(p.getOpType()) || p.getInputCount() == 0) {
                return name;
            }
            name = p.getInput(0);
        }
        throw new ModelFormatException(source + " has a cycle in its graph at '" + name + "'");
    }

    private boolean isGraphInput(String name) {
        return !constants.has(name)
                && graph.getInputList().stream().anyMatch(v -> v.getName().equals(name));
    }

    private NpyArray weight(Onnx.NodeProto n, int input, String what) {
        if (n.getInputCount() <= input || n.getInput(input).isEmpty()) {
            throw fail(n, "has no input " + what);
        }
        return constant(n, input, "input " + what);
    }

    private NpyArray constant(Onnx.NodeProto n, int input, String what) {
        NpyArray a = constants.get(n.getInput(input));
        if (a == null) {
            throw fail(
                    n,
                    "computes " + what + " ('" + n.getInput(input) + "') in the graph from something other than"
                            + " constants; only weights stored in the file, or sliced, concatenated and reshaped from them, are read");
        }
        return a;
    }

    private void requireShape(Onnx.NodeProto n, String what, NpyArray a, int... shape) {
        if (!a.hasShape(shape)) {
            throw fail(
                    n,
                    "has " + what + " of shape " + a.shapeString() + " but " + NpyArray.describe(shape)
                            + " is expected (one direction, hidden size from R)");
        }
    }

    private static NpyArray transposed(NpyArray m) {
        int rows = m.dim(0);
        int cols = m.dim(1);
        float[] t = new float[rows * cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                t[j * rows + i] = m.data()[i * cols + j];
            }
        }
        return NpyArray.of(t, cols, rows);
    }

    private static String describe(Onnx.NodeProto n) {
        String name = n.getName().isEmpty() ? n.getOutputList().stream().collect(Collectors.joining(",")) : n.getName();
        return "'" + name + "' (" + n.getOpType() + ")";
    }

    private ModelFormatException fail(Onnx.NodeProto n, String problem) {
        return new ModelFormatException(source + ": node " + describe(n) + " " + problem);
    }
}
