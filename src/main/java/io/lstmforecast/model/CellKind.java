package io.lstmforecast.model;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** The recurrent cells a model can use, with the tensors (PyTorch names and shapes) each layer needs. */
public enum CellKind {
    LSTM(4, true),
    GRU(3, false),
    PEEPHOLE(4, true),
    CIFG(3, true);

    private final int gates;
    private final boolean cellState;

    CellKind(int gates, boolean cellState) {
        this.gates = gates;
        this.cellState = cellState;
    }

    /** Number of gate blocks G: weights are (G*H, ·). */
    public int gates() {
        return gates;
    }

    /** Whether the layer keeps a cell state c besides h. */
    public boolean hasCellState() {
        return cellState;
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static CellKind parse(String text) {
        for (CellKind k : values()) {
            if (k.id().equalsIgnoreCase(text.trim())) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown cell '" + text + "'; use one of lstm, gru, peephole, cifg");
    }

    /** The tensors of layer {@code layer}, by name without module prefix, with their expected shapes. */
    public Map<String, int[]> layerTensors(int layer, int inputSize, int hidden) {
        Map<String, int[]> t = new LinkedHashMap<>();
        t.put("weight_ih_l" + layer, new int[] {gates * hidden, inputSize});
        t.put("weight_hh_l" + layer, new int[] {gates * hidden, hidden});
        t.put("bias_ih_l" + layer, new int[] {gates * hidden});
        t.put("bias_hh_l" + layer, new int[] {gates * hidden});
        if (this == PEEPHOLE) {
            t.put("peephole_i_l" + layer, new int[] {hidden});
            t.put("peephole_f_l" + layer, new int[] {hidden});
            t.put("peephole_o_l" + layer, new int[] {hidden});
        }
        return t;
    }

    /** Builds layer {@code layer} from tensors already checked against {@link #layerTensors}. */
    RecurrentCell create(int layer, int in, int hidden, Map<String, NpyArray> t, int batch) {
        float[] wIh = t.get("weight_ih_l" + layer).data();
        float[] wHh = t.get("weight_hh_l" + layer).data();
        float[] bIh = t.get("bias_ih_l" + layer).data();
        float[] bHh = t.get("bias_hh_l" + layer).data();
        int gh = gates * hidden;
        if (this == GRU) {
            // Columns [r z | n_x | n_h]: the n gate's hidden part must stay separate for r ⊙ (W_hn h + b_hn).
            PackedAffine affine = new PackedAffine.Packer(in + hidden, 4 * hidden)
                    .weight(wIh, 0, 2 * hidden, in, 0, 0)
                    .weight(wHh, 0, 2 * hidden, hidden, in, 0)
                    .bias(bIh, 0, 2 * hidden, 0)
                    .bias(bHh, 0, 2 * hidden, 0)
                    .weight(wIh, 2 * hidden, hidden, in, 0, 2 * hidden)
                    .bias(bIh, 2 * hidden, hidden, 2 * hidden)
                    .weight(wHh, 2 * hidden, hidden, hidden, in, 3 * hidden)
                    .bias(bHh, 2 * hidden, hidden, 3 * hidden)
                    .build(batch);
            return new GruCell(in, hidden, affine);
        }
        PackedAffine.Packer packer = new PackedAffine.Packer(in + hidden, gh)
                .weight(wIh, 0, gh, in, 0, 0)
                .weight(wHh, 0, gh, hidden, in, 0)
                .bias(bIh, 0, gh, 0)
                .bias(bHh, 0, gh, 0);
        if (this != PEEPHOLE) {
            // LSTM and CIFG take σ of every block from the GEMM; their g block (i, f, g, o / i, g, o) is doubled
            // so that tanh(a) = 2σ(2a) - 1.
            packer.scaleColumns(this == LSTM ? 2 * hidden : hidden, hidden, 2f);
        }
        PackedAffine affine = packer.build(batch);
        return switch (this) {
            case LSTM -> new LstmCell(in, hidden, affine);
            case CIFG -> new CifgLstmCell(in, hidden, affine);
            case PEEPHOLE -> new PeepholeLstmCell(in, hidden, affine,
                    t.get("peephole_i_l" + layer).data(),
                    t.get("peephole_f_l" + layer).data(),
                    t.get("peephole_o_l" + layer).data());
            case GRU -> throw new IllegalStateException();
        };
    }
}
