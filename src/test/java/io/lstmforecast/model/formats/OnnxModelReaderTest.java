package io.lstmforecast.model.formats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lstmforecast.model.ModelFormatException;
import io.lstmforecast.model.NpyArray;
import io.lstmforecast.model.ReadLimits;
import io.lstmforecast.testing.ImportFixtures;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import onnx.Onnx;
import org.junit.jupiter.api.Test;

/**
 * ONNX exports read into PyTorch's state_dict: the same tensors as the .pt of the same module, and a refusal naming the
 * node and attribute for every graph the engine would not compute exactly.
 */
class OnnxModelReaderTest {

    @Test
    void everyExportGivesTheTensorsOfThePyTorchStateDictItCameFrom() {
        for (String onnx : List.of(
                "lstm2_head_opset9.onnx",
                "lstm2_head_opset17.onnx",
                "lstm2_head_gemm.onnx",
                "gru_head_opset9.onnx",
                "gru_head_opset17.onnx",
                "gru_head_gemm.onnx",
                "gru_head_float_data.onnx",
                "lstm2_head_nofold.onnx",
                "gru_head_nofold.onnx")) {
            String model = ImportFixtures.MODELS.get(onnx);
            Map<String, NpyArray> pt = WeightsFormat.read(ImportFixtures.path(model + ".pt"));
            Map<String, NpyArray> fromOnnx = WeightsFormat.read(ImportFixtures.path(onnx));
            assertEquals(pt.keySet(), fromOnnx.keySet(), onnx);
            for (String k : pt.keySet()) {
                assertArrayEquals(pt.get(k).shape(), fromOnnx.get(k).shape(), onnx + " " + k);
                assertArrayEquals(
                        pt.get(k).data(), fromOnnx.get(k).data(), onnx + " " + k + ": gates reordered exactly");
            }
        }
    }

    @Test
    void layersTheEngineCannotRunExactlyAreRefusedNamingTheNodeAndAttribute() {
        assertRefused("bidirectional.onnx", "node '/rnn/LSTM' (LSTM) has direction=bidirectional");
        assertRefused("peephole.onnx", "node '/rnn/LSTM' (LSTM) has peephole weights (input P");
        assertRefused("clip.onnx", "node '/rnn/LSTM' (LSTM) has clip=3.0");
        assertRefused("activations.onnx", "node '/rnn/LSTM' (LSTM) has activations=[Sigmoid, Relu, Tanh]");
        assertEdited("gru_head_opset17.onnx", "has linear_before_reset=0", g -> {
            Onnx.NodeProto.Builder gru = node(g, "GRU");
            for (int i = 0; i < gru.getAttributeCount(); i++) {
                if (gru.getAttribute(i).getName().equals("linear_before_reset")) {
                    gru.setAttribute(i, gru.getAttribute(i).toBuilder().setI(0));
                }
            }
        });
        assertEdited(
                "lstm2_head_opset17.onnx",
                "has input_forget=1",
                g -> node(g, "LSTM")
                        .addAttribute(Onnx.AttributeProto.newBuilder()
                                .setName("input_forget")
                                .setType(Onnx.AttributeProto.AttributeType.INT)
                                .setI(1)));
    }

    @Test
    void graphsWithOtherOperationsOrComputedWeightsAreRefused() {
        assertEdited(
                "gru_head_gemm.onnx",
                "(Relu) is an operation the engine does not run",
                g -> g.addNode(Onnx.NodeProto.newBuilder()
                        .setOpType("Relu")
                        .setName("relu")
                        .addInput("y")
                        .addOutput("z")));
        assertEdited(
                "gru_head_gemm.onnx",
                "computes input W ('computed_elsewhere') in the graph from something other than",
                g -> {
                    Onnx.NodeProto.Builder gru = node(g, "GRU");
                    gru.setInput(1, "computed_elsewhere");
                });
        // Concat(W, W), then of that twice, forty times over: 2^40 copies, refused once past a few times the file's
        // size.
        assertEdited("gru_head_gemm.onnx", "grow far beyond the weights the file holds", g -> {
            Onnx.NodeProto.Builder gru = node(g, "GRU");
            String w = gru.getInput(1);
            for (int i = 0; i < 40; i++) {
                g.addNode(Onnx.NodeProto.newBuilder()
                        .setOpType("Concat")
                        .setName("double" + i)
                        .addInput(w)
                        .addInput(w)
                        .addOutput("doubled" + i)
                        .addAttribute(Onnx.AttributeProto.newBuilder()
                                .setName("axis")
                                .setType(Onnx.AttributeProto.AttributeType.INT)
                                .setI(1)));
                w = "doubled" + i;
            }
            gru.setInput(1, w);
        });
        assertEdited("gru_head_gemm.onnx", "holds 0 values but shape (1073741824,) needs 1073741824", g -> {
            g.addInitializer(Onnx.TensorProto.newBuilder()
                    .setName("huge")
                    .addDims(1L << 30)
                    .setDataType(Onnx.TensorProto.DataType.FLOAT_VALUE));
            node(g, "GRU").setInput(1, "huge");
        });
        assertEdited("gru_head_gemm.onnx", "has alpha=2.0", g -> {
            Onnx.NodeProto.Builder gemm = node(g, "Gemm");
            for (int i = 0; i < gemm.getAttributeCount(); i++) {
                if (gemm.getAttribute(i).getName().equals("alpha")) {
                    gemm.setAttribute(i, gemm.getAttribute(i).toBuilder().setF(2f));
                }
            }
        });
        assertEdited("gru_head_gemm.onnx", "has no LSTM or GRU node", g -> {
            for (int i = g.getNodeCount() - 1; i >= 0; i--) {
                if (g.getNode(i).getOpType().equals("GRU")) {
                    g.removeNode(i);
                }
            }
        });
    }

    @Test
    void truncatedFilesAndUnsupportedOpsetsAreRefused() throws Exception {
        byte[] file = Files.readAllBytes(ImportFixtures.path("lstm2_head_opset9.onnx"));
        String cut = assertThrows(
                        ModelFormatException.class,
                        () -> WeightsFormat.read(
                                java.util.Arrays.copyOf(file, file.length / 2), "cut.onnx", ReadLimits.DEFAULT))
                .getMessage();
        assertTrue(cut.contains("cut.onnx is not a readable ONNX model") && cut.contains("truncated"), cut);
        Onnx.ModelProto.Builder old = Onnx.ModelProto.parseFrom(file).toBuilder();
        old.setOpsetImport(0, old.getOpsetImport(0).toBuilder().setVersion(5));
        String opset = assertThrows(
                        ModelFormatException.class,
                        () -> WeightsFormat.read(old.build().toByteArray(), "old.onnx", ReadLimits.DEFAULT))
                .getMessage();
        assertTrue(opset.contains("opset 5"), opset);
    }

    private static Onnx.NodeProto.Builder node(Onnx.GraphProto.Builder g, String op) {
        return g.getNodeBuilderList().stream()
                .filter(n -> n.getOpType().equals(op))
                .findFirst()
                .orElseThrow();
    }

    private static void assertRefused(String fixture, String phrase) {
        String message = assertThrows(
                        ModelFormatException.class, () -> WeightsFormat.read(ImportFixtures.path(fixture)))
                .getMessage();
        assertTrue(message.contains(phrase), message);
        assertTrue(message.contains(fixture), message);
    }

    private static void assertEdited(String fixture, String phrase, Consumer<Onnx.GraphProto.Builder> edit) {
        try {
            Onnx.ModelProto.Builder model =
                    Onnx.ModelProto.parseFrom(Files.readAllBytes(ImportFixtures.path(fixture))).toBuilder();
            edit.accept(model.getGraphBuilder());
            byte[] edited = model.build().toByteArray();
            String message = assertThrows(
                            ModelFormatException.class,
                            () -> WeightsFormat.read(edited, "edited.onnx", ReadLimits.DEFAULT))
                    .getMessage();
            assertTrue(message.contains(phrase), message);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
