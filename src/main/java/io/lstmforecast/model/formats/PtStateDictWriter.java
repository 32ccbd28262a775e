package io.lstmforecast.model.formats;

import io.lstmforecast.model.NpyArray;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes a state_dict the way {@code torch.save(model.state_dict(), path)} does, so that {@code torch.load} and
 * {@code model.load_state_dict} take it: a zip of stored entries {@code archive/data.pkl} (a protocol-2 pickle of an
 * OrderedDict of {@code _rebuild_tensor_v2} calls), {@code archive/data/<n>} (each tensor's float32 values,
 * little-endian) and {@code archive/version}.
 */
public final class PtStateDictWriter {
    private static final String ROOT = "archive/";

    private PtStateDictWriter() {}

    public static byte[] write(Map<String, NpyArray> tensors) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            stored(zip, ROOT + "data.pkl", pickle(tensors));
            int key = 0;
            for (NpyArray t : tensors.values()) {
                ByteBuffer data = ByteBuffer.allocate(t.data().length * 4).order(ByteOrder.LITTLE_ENDIAN);
                data.asFloatBuffer().put(t.data());
                stored(zip, ROOT + "data/" + key++, data.array());
            }
            stored(zip, ROOT + "byteorder", "little".getBytes(StandardCharsets.US_ASCII));
            stored(zip, ROOT + "version", "3\n".getBytes(StandardCharsets.US_ASCII));
        }
        return bytes.toByteArray();
    }

    /** The pickle torch.save writes for an OrderedDict of contiguous float32 tensors on the CPU. */
    static byte[] pickle(Map<String, NpyArray> tensors) {
        Pickler p = new Pickler();
        p.op(0x80).op(2);
        p.global("collections", "OrderedDict").op(')').op('R').op('(');
        int key = 0;
        for (Map.Entry<String, NpyArray> e : tensors.entrySet()) {
            int[] shape = e.getValue().shape();
            p.string(e.getKey());
            p.global("torch._utils", "_rebuild_tensor_v2").op('(');
            p.op('(')
                    .string("storage")
                    .global("torch", "FloatStorage")
                    .string(Integer.toString(key++))
                    .string("cpu")
                    .integer(e.getValue().data().length)
                    .op('t')
                    .op('Q');
            p.integer(0);
            p.op('(');
            for (int d : shape) {
                p.integer(d);
            }
            p.op('t').op('(');
            long stride = 1;
            long[] strides = new long[shape.length];
            for (int d = shape.length - 1; d >= 0; d--) {
                strides[d] = stride;
                stride *= shape[d];
            }
            for (long s : strides) {
                p.integer((int) s);
            }
            p.op('t').op(0x89);
            p.global("collections", "OrderedDict").op(')').op('R');
            p.op('t').op('R');
        }
        return p.op('u').op('.').bytes();
    }

    private static void stored(ZipOutputStream zip, String name, byte[] content) throws IOException {
        ZipEntry e = new ZipEntry(name);
        e.setMethod(ZipEntry.STORED);
        e.setSize(content.length);
        e.setCompressedSize(content.length);
        CRC32 crc = new CRC32();
        crc.update(content);
        e.setCrc(crc.getValue());
        zip.putNextEntry(e);
        zip.write(content);
        zip.closeEntry();
    }

    /** The few pickle opcodes a state_dict needs. */
    private static final class Pickler {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Pickler op(int opcode) {
            out.write(opcode);
            return this;
        }

        Pickler global(String module, String name) {
            out.write('c');
            out.writeBytes((module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII));
            return this;
        }

        Pickler string(String s) {
            byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            out.write('X');
            out.writeBytes(ByteBuffer.allocate(4)
                    .order(ByteOrder.LITTLE_ENDIAN)
                    .putInt(utf8.length)
                    .array());
            out.writeBytes(utf8);
            return this;
        }

        Pickler integer(int v) {
            out.write('J');
            out.writeBytes(ByteBuffer.allocate(4)
                    .order(ByteOrder.LITTLE_ENDIAN)
                    .putInt(v)
                    .array());
            return this;
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }
}
