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
        return switch (this) {
            case LSTM -> LstmCell.create(layer, in, hidden, t, batch);
            case GRU -> GruCell.create(layer, in, hidden, t, batch);
            case PEEPHOLE -> PeepholeLstmCell.create(layer, in, hidden, t, batch);
            case CIFG -> CifgLstmCell.create(layer, in, hidden, t, batch);
        };
    }
}
