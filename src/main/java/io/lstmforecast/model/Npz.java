package io.lstmforecast.model;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * Reads and writes NumPy .npz archives (what {@code numpy.savez} writes from a PyTorch state_dict).
 * Values are read as float32; float64 and integer arrays are converted. Every problem is reported
 * as a {@link ModelFormatException} naming the file and the entry.
 */
public final class Npz {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    /** numpy's own cap on a header it will parse (numpy.lib.format, max_header_size). */
    static final int MAX_HEADER_BYTES = 10_000;

    private static final Pattern DESCR = Pattern.compile("[<>|=][fiub][1248]");

    private Npz() {}

    public static Map<String, NpyArray> read(Path file) {
        return read(file, ReadLimits.DEFAULT);
    }

    public static Map<String, NpyArray> read(Path file, ReadLimits limits) {
        return read(limits.readModelFile(file), file.toString(), limits);
    }

    public static Map<String, NpyArray> read(byte[] bytes, String source) {
        return read(bytes, source, ReadLimits.DEFAULT);
    }

    /** Reads the archive's arrays; at most {@code limits} entries and decompressed bytes. */
    public static Map<String, NpyArray> read(byte[] bytes, String source, ReadLimits limits) {
        Map<String, NpyArray> arrays = new LinkedHashMap<>();
        try (ZipInputStream zip = new ZipInputStream(new java.io.ByteArrayInputStream(bytes))) {
            ZipEntry entry;
            long budget = limits.maxBytes();
            int entries = 0;
            while ((entry = zip.getNextEntry()) != null) {
                if (++entries > limits.maxEntries()) {
                    throw new ModelFormatException(source + " has more than " + limits.maxEntries() + " entries");
                }
                String name = entry.getName();
                if (!name.endsWith(".npy")) {
                    continue;
                }
                String key = name.substring(0, name.length() - 4);
                byte[] npy = ReadLimits.read(zip, budget, source + " (decompressed)");
                budget -= npy.length;
                if (arrays.put(key, readNpy(npy, source + ":" + key)) != null) {
                    throw new ModelFormatException(source + " holds the array '" + key + "' twice");
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new ModelFormatException(
                    source + " is not a readable .npz archive (" + e.getMessage() + "); is the file truncated?", e);
        }
        if (arrays.isEmpty()) {
            throw new ModelFormatException(
                    source + " is not a .npz archive with arrays in it (empty or truncated file?)");
        }
        return arrays;
    }

    static NpyArray readNpy(byte[] bytes, String where) {
        if (bytes.length < 10 || !startsWithMagic(bytes)) {
            throw new ModelFormatException(where + " is not a .npy array (bad magic bytes)");
        }
        int major = bytes[6];
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int headerLen;
        int headerStart;
        if (major == 1) {
            headerLen = Short.toUnsignedInt(buf.getShort(8));
            headerStart = 10;
        } else {
            if (bytes.length < 12) {
                throw new ModelFormatException(where + " ends inside its .npy preamble (truncated?)");
            }
            headerLen = buf.getInt(8);
            headerStart = 12;
        }
        if (headerLen < 0 || headerLen > MAX_HEADER_BYTES) {
            throw new ModelFormatException(where + " has a .npy header of " + Integer.toUnsignedString(headerLen)
                    + " bytes; numpy writes at most " + MAX_HEADER_BYTES);
        }
        if (headerStart + headerLen > bytes.length) {
            throw new ModelFormatException(where + " has a header longer than the file (truncated?)");
        }
        String header = new String(bytes, headerStart, headerLen, StandardCharsets.ISO_8859_1);
        String descr = value(header, "descr", '\'', '\'', where);
        if (!DESCR.matcher(descr).matches()) {
            throw new ModelFormatException(
                    where + " has dtype '" + descr + "'; only float32, float64 and integer arrays are supported");
        }
        if (header.contains("'fortran_order': True")) {
            throw new ModelFormatException(where + " is stored in Fortran order; save it with numpy.ascontiguousarray");
        }
        int[] shape = parseShape(value(header, "shape", '(', ')', where), where);
        int width = elementWidth(descr, where);
        long count = elementCount(shape, width, where);
        int dataStart = headerStart + headerLen;
        if ((long) bytes.length - dataStart < count * width) {
            throw new ModelFormatException(where + " holds " + (bytes.length - dataStart) + " data bytes but shape "
                    + NpyArray.describe(shape) + " of " + descr + " needs " + count * width + " (truncated?)");
        }
        ByteBuffer data = ByteBuffer.wrap(bytes, dataStart, (int) (count * width))
                .order(descr.startsWith(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        float[] values = new float[(int) count];
        char kind = descr.charAt(1);
        for (int i = 0; i < values.length; i++) {
            values[i] = switch (kind) {
                case 'f' -> width == 4 ? data.getFloat() : (float) data.getDouble();
                case 'i' -> width == 4 ? data.getInt() : data.getLong();
                case 'u' -> width == 1 ? Byte.toUnsignedInt(data.get()) : data.getInt();
                case 'b' -> data.get();
                default -> throw new IllegalStateException(descr);
            };
        }
        return new NpyArray(shape, values);
    }

    private static boolean startsWithMagic(byte[] bytes) {
        for (int i = 0; i < MAGIC.length; i++) {
            if (bytes[i] != MAGIC[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * The text between {@code open} and {@code close} after {@code 'field':} in a header dict literal. Plain index
     * scans, linear in the header's length (a regex over a hostile header can take quadratic time).
     */
    private static String value(String header, String field, char open, char close, String where) {
        int key = header.indexOf("'" + field + "'");
        int start = key < 0 ? -1 : header.indexOf(open, key + field.length() + 2);
        int end = start < 0 ? -1 : header.indexOf(close, start + 1);
        if (end < 0 || !header.substring(key + field.length() + 2, start).trim().equals(":")) {
            throw new ModelFormatException(where + " has a .npy header without a readable '" + field + "'");
        }
        return header.substring(start + 1, end);
    }

    /** The number of elements, checked to fit in one Java array of the element width. */
    private static long elementCount(int[] shape, int width, String where) {
        long count = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new ModelFormatException(
                        where + " has a negative dimension in shape " + NpyArray.describe(shape));
            }
            count *= d;
            if (count * width > Integer.MAX_VALUE - 16) {
                throw new ModelFormatException(
                        where + " has shape " + NpyArray.describe(shape) + ", too large for one array");
            }
        }
        return count;
    }

    private static int[] parseShape(String text, String where) {
        String[] parts = text.split(",");
        int n = 0;
        int[] dims = new int[parts.length];
        for (String part : parts) {
            String t = part.trim();
            if (t.isEmpty()) {
                continue;
            }
            try {
                dims[n++] = Integer.parseInt(t.endsWith("L") ? t.substring(0, t.length() - 1) : t);
            } catch (NumberFormatException e) {
                throw new ModelFormatException(where + " has an unreadable shape (" + text + ")");
            }
        }
        return java.util.Arrays.copyOf(dims, n);
    }

    private static int elementWidth(String descr, String where) {
        return switch (descr.substring(1)) {
            case "f4", "i4", "u4" -> 4;
            case "f8", "i8" -> 8;
            case "u1", "b1" -> 1;
            default ->
                throw new ModelFormatException(
                        where + " has dtype " + descr + "; only float32, float64 and integer arrays are supported");
        };
    }

    /** Writes float32 arrays so that {@code numpy.load} and {@link #read} return them unchanged. */
    public static void write(Path file, Map<String, NpyArray> arrays) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try (OutputStream out = Files.newOutputStream(file)) {
            write(out, arrays);
        }
    }

    public static void write(OutputStream out, Map<String, NpyArray> arrays) throws IOException {
        ZipOutputStream zip = new ZipOutputStream(out);
        for (Map.Entry<String, NpyArray> e : arrays.entrySet()) {
            zip.putNextEntry(new ZipEntry(e.getKey() + ".npy"));
            zip.write(toNpy(e.getValue()));
            zip.closeEntry();
        }
        zip.finish();
    }

    static byte[] toNpy(NpyArray array) {
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': " + NpyArray.describe(array.shape()) + ", }";
        int unpadded = 10 + dict.length() + 1;
        int padding = (64 - unpadded % 64) % 64;
        String header = dict + " ".repeat(padding) + "\n";
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(10 + header.length() + array.data().length * 4);
        bytes.writeBytes(MAGIC);
        bytes.write(1);
        bytes.write(0);
        bytes.write(header.length() & 0xff);
        bytes.write(header.length() >> 8);
        bytes.writeBytes(header.getBytes(StandardCharsets.ISO_8859_1));
        ByteBuffer data = ByteBuffer.allocate(array.data().length * 4).order(ByteOrder.LITTLE_ENDIAN);
        data.asFloatBuffer().put(array.data());
        bytes.writeBytes(data.array());
        return bytes.toByteArray();
    }
}
