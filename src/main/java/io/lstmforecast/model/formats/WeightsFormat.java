package io.lstmforecast.model.formats;

import io.lstmforecast.model.ModelFormatException;
import io.lstmforecast.model.NpyArray;
import io.lstmforecast.model.Npz;
import io.lstmforecast.model.ReadLimits;
import java.nio.file.Path;
import java.util.Map;

/**
 * The weight files the engine reads, told apart by their content (never by their name), and the one way to read
 * any of them into a PyTorch-named state_dict of float32 arrays, which is all the rest of the engine sees.
 */
public enum WeightsFormat {
    /** {@code numpy.savez} of a state_dict: a zip of .npy arrays. */
    NPZ("npz"),
    /** {@code torch.save(model.state_dict(), path)} (PyTorch 1.6 or later): a zip holding data.pkl and the storages. */
    PYTORCH("pt"),
    /** {@code torch.onnx.export}: an ONNX ModelProto with LSTM or GRU nodes and an optional Linear head. */
    ONNX("onnx");

    /** The extension a file of this format is given when the engine names it. */
    public final String extension;

    WeightsFormat(String extension) {
        this.extension = extension;
    }

    /** The pickle that torch.save wrote before PyTorch 1.6: protocol 2, then the magic number 0x1950a86a20f9469cfc6c. */
    private static final byte[] LEGACY_TORCH = {
        (byte) 0x80,
        0x02,
        (byte) 0x8a,
        0x0a,
        0x6c,
        (byte) 0xfc,
        (byte) 0x9c,
        0x46,
        (byte) 0xf9,
        0x20,
        0x6a,
        (byte) 0xa8,
        0x50,
        0x19
    };

    /** The format of {@code bytes}, or a {@link ModelFormatException} that says what the file seems to be. */
    public static WeightsFormat detect(byte[] bytes, String source) {
        if (ZipEntries.isZip(bytes)) {
            // numpy.savez writes only .npy entries; torch.save writes data.pkl (first, in the versions we know) and
            // the storages, which the PyTorch reader finds through the zip directory.
            return ZipEntries.firstEntryName(bytes).endsWith(".npy") ? NPZ : PYTORCH;
        }
        if (startsWith(bytes, LEGACY_TORCH)) {
            throw new ModelFormatException(
                    source + " was written by torch.save in the legacy format of PyTorch before 1.6,"
                            + " which is not read here; re-save it with PyTorch 1.6 or later, whose default format is read:"
                            + " torch.save(torch.load(old), \"model.pt\")");
        }
        if (bytes.length > 0 && (bytes[0] & 0xff) == 0x80) {
            throw new ModelFormatException(source + " is a bare pickle, not a torch.save file; save the state_dict with"
                    + " torch.save(model.state_dict(), \"model.pt\")");
        }
        // An ONNX ModelProto starts with field 1, ir_version, a varint: the tag byte 0x08.
        if (bytes.length > 1 && bytes[0] == 0x08) {
            return ONNX;
        }
        throw new ModelFormatException(
                source + " is " + (bytes.length == 0 ? "empty" : "not a weights file this engine reads")
                        + "; expected a PyTorch state_dict saved with torch.save (.pt), an ONNX export (.onnx) or numpy.savez (.npz)");
    }

    /** Reads a weights file of any format, reading no more than {@code limits} allow. */
    public static Map<String, NpyArray> read(Path file, ReadLimits limits) {
        return read(limits.readModelFile(file), file.toString(), limits);
    }

    public static Map<String, NpyArray> read(Path file) {
        return read(file, ReadLimits.DEFAULT);
    }

    /** Reads weights held in memory; {@code source} names them in messages. */
    public static Map<String, NpyArray> read(byte[] bytes, String source, ReadLimits limits) {
        if (ZipEntries.isZip(bytes)) {
            ZipEntries.refuseLinks(bytes, source);
        }
        return switch (detect(bytes, source)) {
            case NPZ -> Npz.read(bytes, source, limits);
            case PYTORCH -> PtStateDictReader.read(bytes, source, limits);
            case ONNX -> OnnxModelReader.read(bytes, source);
        };
    }

    private static boolean startsWith(byte[] bytes, byte[] prefix) {
        return bytes.length >= prefix.length
                && java.util.Arrays.equals(bytes, 0, prefix.length, prefix, 0, prefix.length);
    }
}
