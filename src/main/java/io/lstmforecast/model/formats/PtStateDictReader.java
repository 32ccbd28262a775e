package io.lstmforecast.model.formats;

import io.lstmforecast.model.ModelFormatException;
import io.lstmforecast.model.NpyArray;
import io.lstmforecast.model.ReadLimits;
import io.lstmforecast.model.formats.StateDictPickle.Storage;
import io.lstmforecast.model.formats.StateDictPickle.TensorRef;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads what {@code torch.save(model.state_dict(), "model.pt")} writes (PyTorch 1.6 and later): a zip archive whose
 * {@code <name>/data.pkl} is a pickle of the dict, in which every tensor refers to a storage stored raw as
 * {@code <name>/data/<key>}. The pickle goes through {@link StateDictPickle}, which runs nothing; the tensors come
 * out as float32 arrays under their state_dict names, exactly the map a .npz of the same state_dict gives.
 */
final class PtStateDictReader {
    private static final List<String> NESTED_KEYS = List.of("state_dict", "model_state_dict", "model");

    private PtStateDictReader() {}

    static Map<String, NpyArray> read(byte[] file, String source, ReadLimits limits) {
        Map<String, ByteBuffer> entries = ZipEntries.read(file, source, limits);
        String pickleName = entries.keySet().stream()
                .filter(n -> n.endsWith("/data.pkl") || n.equals("data.pkl"))
                .findFirst()
                .orElseThrow(() -> new ModelFormatException(source + " is a zip archive that is neither a .npz"
                        + " (arrays in .npy entries) nor a file torch.save wrote (data.pkl and storages)"));
        String root = pickleName.substring(0, pickleName.length() - "data.pkl".length());
        ByteOrder order = byteOrder(entries.get(root + "byteorder"), source);
        Object loaded = StateDictPickle.load(entries.get(pickleName), source);
        Map<String, NpyArray> tensors = new LinkedHashMap<>();
        // Views share storages, and a view with a zero stride addresses few elements many times: what the tensors
        // will hold as float32 is charged against the read limit before it is allocated.
        long budget = limits.maxBytes();
        for (Map.Entry<?, ?> e : stateDict(loaded, source).entrySet()) {
            String name = (String) e.getKey();
            TensorRef t = (TensorRef) e.getValue();
            budget -= 4 * NpyArray.elementCount(Shapes.checked(t.size(), source + ":" + name));
            if (budget < 0) {
                throw new ModelFormatException(source + " holds tensors of more than the limit of " + limits.maxBytes()
                        + " bytes as float32 (job setting max-model-bytes)");
            }
            tensors.put(name, tensor(t, entries.get(root + "data/" + t.storage().key()), order, source + ":" + name));
        }
        if (tensors.isEmpty()) {
            throw new ModelFormatException(source + " holds an empty state_dict");
        }
        return tensors;
    }

    /** The dict of tensors: the file's top level, or one level down in a training checkpoint. */
    private static Map<?, ?> stateDict(Object loaded, String source) {
        if (!(loaded instanceof Map<?, ?> top)) {
            throw new ModelFormatException(source + " holds " + StateDictPickle.describe(loaded)
                    + ", not a state_dict (a" + " dict of tensors); save it with torch.save(model.state_dict(), path)");
        }
        if (isTensorDict(top)) {
            return top;
        }
        for (String key : NESTED_KEYS) {
            if (top.get(key) instanceof Map<?, ?> inner && isTensorDict(inner) && !inner.isEmpty()) {
                return inner;
            }
        }
        Object bad = top.entrySet().stream()
                .filter(e -> !(e.getKey() instanceof String && e.getValue() instanceof TensorRef))
                .map(Map.Entry::getKey)
                .findFirst()
                .orElse(null);
        throw new ModelFormatException(
                source + " holds a dict whose entry '" + bad + "' is not a named tensor; save the"
                        + " model's tensors alone with torch.save(model.state_dict(), path)");
    }

    private static boolean isTensorDict(Map<?, ?> d) {
        return d.entrySet().stream().allMatch(e -> e.getKey() instanceof String && e.getValue() instanceof TensorRef);
    }

    private static ByteOrder byteOrder(ByteBuffer entry, String source) {
        if (entry == null) {
            return ByteOrder.LITTLE_ENDIAN; // PyTorch before 2.1 writes no byteorder record, and little-endian only
        }
        String text =
                StandardCharsets.US_ASCII.decode(entry.duplicate()).toString().trim();
        return switch (text) {
            case "little" -> ByteOrder.LITTLE_ENDIAN;
            case "big" -> ByteOrder.BIG_ENDIAN;
            default -> throw new ModelFormatException(source + " has byteorder '" + text + "', neither little nor big");
        };
    }

    /**
     * Copies the tensor's elements out of its storage, following its strides (a transposed tensor is saved with
     * its storage as it was), after checking that every element it addresses lies inside the storage.
     */
    static NpyArray tensor(TensorRef t, ByteBuffer storage, ByteOrder order, String where) {
        Storage s = t.storage();
        if (storage == null) {
            throw new ModelFormatException(
                    where + " refers to storage '" + s.key() + "', which the archive does not hold");
        }
        if (s.numel() > storage.remaining() / s.type().width) {
            throw new ModelFormatException(
                    where + " refers to storage '" + s.key() + "' of " + s.numel() + " " + s.type()
                            + " elements, but the archive holds " + storage.remaining() + " bytes for it (truncated?)");
        }
        int[] shape = Shapes.checked(t.size(), where);
        if (t.stride().length != shape.length) {
            throw new ModelFormatException(
                    where + " has " + t.stride().length + " strides for " + shape.length + " dimensions");
        }
        long count = NpyArray.elementCount(shape);
        boolean inside = t.offset() >= 0 && t.offset() <= s.numel();
        long last = t.offset();
        for (int d = 0; d < shape.length && inside; d++) {
            // Bounded first, so that the sum below cannot overflow: each term is below 2^31 * 2^31.
            inside = t.stride()[d] >= 0 && (shape[d] <= 1 || t.stride()[d] <= s.numel());
            last += shape[d] == 0 ? 0 : (shape[d] - 1) * t.stride()[d];
        }
        if (!inside || (count > 0 && last >= s.numel())) {
            throw new ModelFormatException(where + " addresses elements beyond its storage of " + s.numel()
                    + " (offset " + t.offset() + ", shape " + NpyArray.describe(shape) + ")");
        }
        ByteBuffer data = storage.duplicate().order(order);
        float[] values = new float[(int) count];
        int[] index = new int[shape.length];
        for (int i = 0; i < values.length; i++) {
            long at = t.offset();
            for (int d = 0; d < shape.length; d++) {
                at += index[d] * t.stride()[d];
            }
            values[i] = s.type().get(data, (int) at);
            for (int d = shape.length - 1; d >= 0 && ++index[d] == shape[d]; d--) {
                index[d] = 0;
            }
        }
        return new NpyArray(shape, values);
    }
}
