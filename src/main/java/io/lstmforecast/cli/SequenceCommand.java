package io.lstmforecast.cli;

import io.lstmforecast.model.CellKind;
import io.lstmforecast.model.NpyArray;
import io.lstmforecast.model.Npz;
import io.lstmforecast.model.RecurrentNetwork;
import io.lstmforecast.model.SequenceRunner;
import io.lstmforecast.model.StateDicts;
import io.lstmforecast.model.bundle.ModelBundle;
import io.lstmforecast.model.formats.WeightsFormat;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "sequence",
        mixinStandardHelpOptions = true,
        description = {
            "Runs a sequence through a recurrent network one step at a time, as the streaming job does,",
            "and writes PyTorch's outputs: output (T, B, H), h_n and c_n (L, B, H), float32."
        })
final class SequenceCommand implements Callable<Integer> {

    static final class Model {
        @Option(
                names = "--weights",
                required = true,
                paramLabel = "FILE",
                description = "A PyTorch state_dict saved with torch.save (.pt/.pth) or numpy.savez (.npz), or an ONNX"
                        + " export (.onnx); the format is read from the content. Names with or without a module prefix"
                        + " such as 'lstm.'; layers and sizes are read from the shapes.")
        Path weights;

        @Option(
                names = "--bundle",
                required = true,
                paramLabel = "DIR",
                description = "A model bundle (directory or .zip with model.json and its weights file).")
        Path bundle;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Model model;

    @Option(
            names = "--input",
            required = true,
            paramLabel = "X.npz",
            description = "x (T, B, I) time-major, optional h0 and c0 (L, B, H); may be the weights file.")
    Path input;

    @Option(names = "--output", required = true, paramLabel = "OUT.npz", description = "Where to write the outputs.")
    Path output;

    @Option(
            names = "--cell",
            paramLabel = "KIND",
            description = "lstm, gru, peephole or cifg (default: read from the shapes; 4 gate blocks = lstm, 3 = gru).")
    String cell;

    @Override
    public Integer call() throws Exception {
        RecurrentNetwork net;
        if (model.weights != null) {
            CellKind kind = cell == null ? null : parseCell(cell);
            net = StateDicts.inferNetwork(WeightsFormat.read(model.weights), kind);
        } else {
            net = ModelBundle.read(model.bundle).network();
        }
        Map<String, NpyArray> in = Npz.read(input);
        NpyArray x = in.get("x");
        if (x == null) {
            throw new UserInputException(input + " has no array 'x' (T, B, I); it has " + in.keySet());
        }
        Map<String, NpyArray> out = SequenceRunner.run(net, x, in.get("h0"), in.get("c0"));
        Npz.write(output, out);
        System.out.printf(
                "%s: %d layer(s) of %s, input %d, hidden %d; %d steps x %d sequences -> %s%n",
                model.weights != null ? model.weights : model.bundle,
                net.numLayers(),
                net.kind().id(),
                net.inputSize(),
                net.hiddenSize(),
                x.dim(0),
                x.dim(1),
                output);
        return 0;
    }

    private static CellKind parseCell(String text) {
        try {
            return CellKind.parse(text);
        } catch (IllegalArgumentException e) {
            throw new UserInputException("--cell: " + e.getMessage());
        }
    }
}
