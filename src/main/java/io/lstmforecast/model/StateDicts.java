package io.lstmforecast.model;

import java.util.List;
import java.util.Map;

/** Reads the architecture of a recurrent network off the tensor shapes of a PyTorch state_dict. */
public final class StateDicts {
    private StateDicts() {}

    /** The module prefix of the recurrent tensors, e.g. "lstm." for {@code lstm.weight_ih_l0}, or "". */
    public static String recurrentPrefix(Map<String, NpyArray> tensors) {
        List<String> found = tensors.keySet().stream()
                .filter(k -> k.endsWith("weight_ih_l0"))
                .toList();
        if (found.isEmpty()) {
            throw new ModelFormatException(
                    "no tensor named 'weight_ih_l0' (with or without a module prefix such as 'lstm.');"
                            + " expected a PyTorch nn.LSTM or nn.GRU state_dict, found " + tensors.keySet());
        }
        if (found.size() > 1) {
            throw new ModelFormatException(
                    "several recurrent modules in one file " + found + "; keep only the one to run");
        }
        String key = found.get(0);
        return key.substring(0, key.length() - "weight_ih_l0".length());
    }

    /**
     * Infers layers, sizes and (when {@code requested} is null) the cell kind from the shapes, then
     * builds the network; every tensor is checked against the inferred sizes.
     */
    public static RecurrentNetwork inferNetwork(Map<String, NpyArray> tensors, CellKind requested) {
        String prefix = recurrentPrefix(tensors);
        NpyArray wIh = tensors.get(prefix + "weight_ih_l0");
        NpyArray wHh = tensors.get(prefix + "weight_hh_l0");
        if (wHh == null) {
            throw new ModelFormatException("tensor '" + prefix + "weight_hh_l0' is missing; it gives the hidden size");
        }
        if (wIh.rank() != 2 || wHh.rank() != 2 || wHh.dim(1) == 0 || wHh.dim(0) % wHh.dim(1) != 0) {
            throw new ModelFormatException("tensors '" + prefix + "weight_ih_l0' " + wIh.shapeString() + " and '"
                    + prefix + "weight_hh_l0' " + wHh.shapeString() + " are not (G*H, I) and (G*H, H)");
        }
        int hidden = wHh.dim(1);
        int gates = wHh.dim(0) / hidden;
        CellKind kind = requested != null
                ? requested
                : switch (gates) {
                    case 4 -> tensors.containsKey(prefix + "peephole_i_l0") ? CellKind.PEEPHOLE : CellKind.LSTM;
                    case 3 -> CellKind.GRU;
                    default ->
                        throw new ModelFormatException(
                                "tensor '" + prefix + "weight_hh_l0' has shape " + wHh.shapeString() + ", " + gates
                                        + " gate blocks of " + hidden + "; LSTM has 4, GRU 3");
                };
        if (gates != kind.gates()) {
            throw new ModelFormatException("tensor '" + prefix + "weight_hh_l0' has shape " + wHh.shapeString()
                    + " but a " + kind.id() + " cell with hidden size " + hidden + " needs (" + kind.gates() * hidden
                    + ", " + hidden + ")");
        }
        int layers = 0;
        while (tensors.containsKey(prefix + "weight_ih_l" + layers)) {
            layers++;
        }
        String why = kind.id() + ", input size " + wIh.dim(1) + ", hidden size " + hidden + ", " + layers
                + " layer(s), read from the shapes of weight_ih_l0 and weight_hh_l0";
        return RecurrentNetwork.fromStateDict(tensors, prefix, kind, wIh.dim(1), hidden, layers, why);
    }
}
