#!/usr/bin/python3
"""Writes the fixtures of the import tests (src/test/resources/imports) with real PyTorch and ONNX.

Run with Debian's PyTorch 1.13 and onnx 1.12 (apt-get install python3-torch python3-onnx):
    /usr/bin/python3 src/test/python/make_import_fixtures.py
CI does not run this: the files it writes are committed.

For every model NAME it writes NAME.pt (torch.save(model.state_dict())) and NAME.expected.npz holding an input
x (T, B, I), initial states h0 (and c0 for LSTM) and what PyTorch computes from them: output (T, B, H), h_n,
c_n (L, B, H) and, for models with a Linear head, head (T, B, outputs) = head(output). The ONNX files are
torch.onnx.export of the same modules. The refusal fixtures are built with the same libraries.
"""
import os
import pickle
import zipfile
import zlib

import numpy as np
import onnx
import torch
from onnx import helper, numpy_helper

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "imports")
# The file the malicious pickle tries to create; the test asserts that it never exists.
PWNED = "/tmp/lstm-forecast-pwned-5e1c9a7b"
T, B = 7, 2


class Forecaster(torch.nn.Module):
    """A recurrent network with an optional Linear head applied at every step (what the job runs per event)."""

    def __init__(self, cell, inputs, hidden, layers, outputs=0, batch_first=False, bidirectional=False):
        super().__init__()
        rnn = {"lstm": torch.nn.LSTM, "gru": torch.nn.GRU}[cell]
        self.batch_first = batch_first
        self.rnn = rnn(inputs, hidden, layers, batch_first=batch_first, bidirectional=bidirectional)
        directions = 2 if bidirectional else 1
        self.head = torch.nn.Linear(hidden * directions, outputs) if outputs else None

    def forward(self, x):
        y, _ = self.rnn(x)
        return self.head(y) if self.head is not None else y


class LastStep(torch.nn.Module):
    """The head applied to the last step only: torch.onnx.export writes it as a Gemm rather than MatMul + Add."""

    def __init__(self, forecaster):
        super().__init__()
        self.f = forecaster

    def forward(self, x):
        y, _ = self.f.rnn(x)
        return self.f.head(y[-1])


def path(name):
    return os.path.join(OUT, name)


def expected(name, model, cell, inputs, hidden, layers):
    g = torch.Generator().manual_seed(zlib.crc32(name.encode()))
    x = torch.randn(T, B, inputs, generator=g)
    h0 = torch.rand(layers, B, hidden, generator=g) * 2 - 1
    arrays = {"x": x, "h0": h0}
    with torch.no_grad():
        if cell == "lstm":
            c0 = torch.rand(layers, B, hidden, generator=g) * 4 - 2
            arrays["c0"] = c0
            y, (h_n, c_n) = model.rnn(x, (h0, c0))
            arrays["c_n"] = c_n
        else:
            y, h_n = model.rnn(x, h0)
        arrays["output"] = y
        arrays["h_n"] = h_n
        if model.head is not None:
            arrays["head"] = model.head(y)
        # From zero states, as the ONNX graphs (whose initial states are zeros) and a new entity start.
        y0, _ = model.rnn(x)
        arrays["output_from_zero"] = y0
        if model.head is not None:
            arrays["head_from_zero"] = model.head(y0)
    np.savez(path(name + ".expected.npz"), **{k: v.numpy().astype(np.float32) for k, v in arrays.items()})


def export_onnx(module, name, opset, inputs, fold=True):
    x = torch.zeros(T, B, inputs)
    torch.onnx.export(module, x, path(name), opset_version=opset, input_names=["x"], output_names=["y"],
                      do_constant_folding=fold)


def float_data_copy(src, dst):
    """The same graph with every float initializer in float_data instead of raw_data (both are valid ONNX)."""
    m = onnx.load(path(src))
    for i, t in enumerate(m.graph.initializer):
        a = numpy_helper.to_array(t)
        m.graph.initializer[i].CopyFrom(helper.make_tensor(t.name, onnx.TensorProto.FLOAT, a.shape, a.flatten().tolist()))
    onnx.save(m, path(dst))


def altered(src, dst, change):
    m = onnx.load(path(src))
    node = next(n for n in m.graph.node if n.op_type in ("LSTM", "GRU"))
    change(m, node)
    onnx.save(m, path(dst))


def with_peepholes(m, node):
    hidden = next(a.i for a in node.attribute if a.name == "hidden_size")
    m.graph.initializer.append(numpy_helper.from_array(np.full((1, 3 * hidden), 0.1, np.float32), "peepholes"))
    while len(node.input) < 8:
        node.input.append("")
    node.input[7] = "peepholes"


def with_clip(m, node):
    node.attribute.append(helper.make_attribute("clip", 3.0))


def with_activations(m, node):
    node.attribute.append(helper.make_attribute("activations", ["Sigmoid", "Relu", "Tanh"]))


class Pwn:
    """A pickle that calls os.system when loaded: what a hostile 'model.pt' looks like."""

    def __reduce__(self):
        return os.system, ("touch " + PWNED,)


def malicious_pt(name):
    body = pickle.dumps({"rnn.weight_ih_l0": Pwn()}, protocol=2)
    with zipfile.ZipFile(path(name), "w") as z:
        z.writestr("archive/data.pkl", body)
        z.writestr("archive/version", "3\n")


def main():
    os.makedirs(OUT, exist_ok=True)
    torch.manual_seed(20240514)
    models = {
        # name: cell, inputs, hidden, layers, head outputs
        "lstm1": ("lstm", 3, 8, 1, 0),
        "lstm2_head": ("lstm", 3, 12, 2, 2),
        "gru_head": ("gru", 3, 10, 1, 2),
        "gru2": ("gru", 2, 8, 2, 0),
        # Two features and a head forecasting both: the models the swap tests send to a job with features x, y.
        "lstm_xy": ("lstm", 2, 8, 1, 2),
        "gru_xy": ("gru", 2, 8, 1, 2),
    }
    for name, (cell, inputs, hidden, layers, outputs) in models.items():
        model = Forecaster(cell, inputs, hidden, layers, outputs).eval()
        torch.save(model.state_dict(), path(name + ".pt"))
        expected(name, model, cell, inputs, hidden, layers)
        if outputs:
            export_onnx(model, name + "_opset9.onnx", 9, inputs)
            export_onnx(model, name + "_opset17.onnx", 17, inputs)
            export_onnx(LastStep(model), name + "_gemm.onnx", 13, inputs)
            # Without constant folding, W, R and B are Slice/Concat/Unsqueeze of PyTorch's own tensors in the graph.
            export_onnx(model, name + "_nofold.onnx", 9 if cell == "lstm" else 17, inputs, fold=False)
    # A bare nn.LSTM saved alone: tensor names without a module prefix.
    bare = Forecaster("lstm", 3, 8, 1).eval()
    bare.load_state_dict(torch.load(path("lstm1.pt")))
    torch.save(bare.rnn.state_dict(), path("lstm1_bare.pt"))
    torch.save(bare.rnn.double().state_dict(), path("lstm1_float64.pt"))
    torch.save(bare.rnn.half().state_dict(), path("lstm1_float16.pt"))
    float_data_copy("gru_head_opset9.onnx", "gru_head_float_data.onnx")
    # Refusals.
    pt = open(path("lstm2_head.pt"), "rb").read()
    open(path("truncated.pt"), "wb").write(pt[: len(pt) // 2])
    malicious_pt("malicious.pt")
    torch.save(Forecaster("lstm", 3, 8, 1, 2), path("whole_module.pt"))
    w = torch.randn(8, 4)
    # A transposed view shares its storage with the original, and is saved as it is, with its strides.
    torch.save({"weight_ih_l0": w.t(), "original": w}, path("non_contiguous.pt"))
    # A view with stride 0: one stored float addressed 2^28 times, a gigabyte once materialised.
    torch.save({"weight_ih_l0": torch.zeros(1).expand(1 << 28)}, path("expanded.pt"))
    export_onnx(Forecaster("lstm", 3, 8, 1, 2, bidirectional=True).eval(), "bidirectional.onnx", 17, 3)
    altered("lstm2_head_opset17.onnx", "peephole.onnx", with_peepholes)
    altered("lstm2_head_opset17.onnx", "clip.onnx", with_clip)
    altered("lstm2_head_opset17.onnx", "activations.onnx", with_activations)
    torch.save(bare.rnn.state_dict(), path("legacy.pt"), _use_new_zipfile_serialization=False)
    print("fixtures written to", os.path.normpath(OUT))


if __name__ == "__main__":
    main()
