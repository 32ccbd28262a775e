package io.lstmforecast.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lstmforecast.model.Npz;
import io.lstmforecast.model.bundle.ModelBundle;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The hostile-input corpus: every kind of record, control message and bundle a producer could send that the job
 * must turn into a dead letter or a rejected status, one line each. A new kind found later is one more line here.
 * Records are for a job whose events are {"id", "t", "x", "y"} (t in epoch millis or ISO-8601), with
 * {@code event.range: {y: [-1000, 1000]}} and the default event.max-abs-z.
 */
public final class HostileInputs {
    private static final ObjectMapper JSON = new ObjectMapper();

    private HostileInputs() {}

    /** A bad event record and the dead-letter reason it must get. */
    public record BadRecord(String what, byte[] value, String reason) {}

    /** A bad control message and a phrase its rejected status must contain. */
    public record BadControl(String what, byte[] message, String because) {}

    /** @param t a valid event time in epoch millis, for records whose fault lies elsewhere */
    public static List<BadRecord> records(long t) {
        return List.of(
                bad(
                        "ISO time with a nine-digit year",
                        "{\"id\":\"a\",\"t\":\"+300000000-01-01T00:00:00Z\",\"x\":1,\"y\":2}",
                        "bad_timestamp"),
                bad(
                        "epoch millis beyond 64 bits",
                        "{\"id\":\"a\",\"t\":99999999999999999999999,\"x\":1,\"y\":2}",
                        "bad_timestamp"),
                bad("negative epoch millis", "{\"id\":\"a\",\"t\":-5,\"x\":1,\"y\":2}", "bad_timestamp"),
                bad(
                        "Long.MIN_VALUE millis",
                        "{\"id\":\"a\",\"t\":-9223372036854775808,\"x\":1,\"y\":2}",
                        "bad_timestamp"),
                bad(
                        "ten years in the future",
                        "{\"id\":\"a\",\"t\":\"2036-01-01T00:00:00Z\",\"x\":1,\"y\":2}",
                        "bad_timestamp"),
                bad(
                        "ISO time without offset",
                        "{\"id\":\"a\",\"t\":\"2024-01-01T00:00:00\",\"x\":1,\"y\":2}",
                        "bad_timestamp"),
                bad("fractional epoch millis", "{\"id\":\"a\",\"t\":1.7e12,\"x\":1,\"y\":2}", "bad_timestamp"),
                bad("time as an object", "{\"id\":\"a\",\"t\":{\"ms\":1},\"x\":1,\"y\":2}", "bad_timestamp"),
                bad("NUL in the entity id", "{\"id\":\"a\\u0000b\",\"t\":" + t + ",\"x\":1,\"y\":2}", "bad_entity_id"),
                bad(
                        "ANSI escape in the entity id",
                        "{\"id\":\"\\u001b[31mred\",\"t\":" + t + ",\"x\":1,\"y\":2}",
                        "bad_entity_id"),
                bad("lone high surrogate id", "{\"id\":\"\\ud800\",\"t\":" + t + ",\"x\":1,\"y\":2}", "bad_entity_id"),
                bad("lone low surrogate id", "{\"id\":\"x\\udc00\",\"t\":" + t + ",\"x\":1,\"y\":2}", "bad_entity_id"),
                bad("entity id as an object", "{\"id\":{\"a\":1},\"t\":" + t + ",\"x\":1,\"y\":2}", "bad_entity_id"),
                bad("blank entity id", "{\"id\":\"   \",\"t\":" + t + ",\"x\":1,\"y\":2}", "bad_entity_id"),
                bad(
                        "entity id over the length limit",
                        "{\"id\":\"" + "e".repeat(300) + "\",\"t\":" + t + ",\"x\":1,\"y\":2}",
                        "bad_entity_id"),
                bad(
                        "duplicate JSON keys",
                        "{\"id\":\"a\",\"id\":\"b\",\"t\":" + t + ",\"x\":1,\"y\":2}",
                        "malformed_json"),
                new BadRecord(
                        "UTF-16 body",
                        ("{\"id\":\"a\",\"t\":" + t + ",\"x\":1,\"y\":2}").getBytes(StandardCharsets.UTF_16BE),
                        "malformed_json"),
                new BadRecord(
                        "UTF-32 body with BOM",
                        utf32(("{\"id\":\"a\",\"t\":" + t + ",\"x\":1,\"y\":2}")),
                        "malformed_json"),
                new BadRecord(
                        "overlong UTF-8",
                        concat(
                                "{\"id\":\"a".getBytes(StandardCharsets.UTF_8),
                                new byte[] {(byte) 0xc0, (byte) 0xaf},
                                ("\",\"t\":" + t + ",\"x\":1,\"y\":2}").getBytes(StandardCharsets.UTF_8)),
                        "malformed_json"),
                new BadRecord("tombstone (no value)", null, "malformed_json"),
                bad("empty value", "", "malformed_json"),
                bad("JSON null", "null", "malformed_json"),
                bad("JSON array", "[1,2,3]", "malformed_json"),
                bad("content after the object", "{\"id\":\"a\",\"t\":" + t + ",\"x\":1,\"y\":2} {}", "malformed_json"),
                bad(
                        "nesting 5000 deep",
                        "{\"id\":\"a\",\"t\":" + t + ",\"x\":1,\"y\":2,\"n\":" + "[".repeat(5000) + "]".repeat(5000)
                                + "}",
                        "malformed_json"),
                bad(
                        "a 5000-digit number",
                        "{\"id\":\"a\",\"t\":" + t + ",\"x\":1" + "0".repeat(5000) + ",\"y\":2}",
                        "malformed_json"),
                bad("NaN feature", "{\"id\":\"a\",\"t\":" + t + ",\"x\":NaN,\"y\":2}", "non_finite"),
                bad("feature beyond float range", "{\"id\":\"a\",\"t\":" + t + ",\"x\":1e60,\"y\":2}", "non_finite"),
                bad(
                        "float max, a historian's 'no reading'",
                        "{\"id\":\"a\",\"t\":" + t + ",\"x\":3.4e38,\"y\":2}",
                        "out_of_range"),
                bad("-1e30, a sentinel", "{\"id\":\"a\",\"t\":" + t + ",\"x\":1,\"y\":-1e30}", "out_of_range"),
                bad(
                        "-9999 outside y's event.range [-1000, 1000]",
                        "{\"id\":\"a\",\"t\":" + t + ",\"x\":1,\"y\":-9999}",
                        "out_of_range"),
                bad("feature as a string", "{\"id\":\"a\",\"t\":" + t + ",\"x\":\"1\",\"y\":2}", "non_numeric"),
                bad("feature as a boolean", "{\"id\":\"a\",\"t\":" + t + ",\"x\":true,\"y\":2}", "non_numeric"),
                bad("missing feature", "{\"id\":\"a\",\"t\":" + t + ",\"x\":1}", "missing_field"),
                bad("missing entity id", "{\"t\":" + t + ",\"x\":1,\"y\":2}", "missing_field"),
                bad(
                        "800 KB record",
                        "{\"id\":\"a\",\"t\":" + t + ",\"x\":1,\"y\":2,\"pad\":\"" + "p".repeat(800_000) + "\"}",
                        "oversized"));
    }

    private static BadRecord bad(String what, String json, String reason) {
        return new BadRecord(what, json.getBytes(StandardCharsets.UTF_8), reason);
    }

    /**
     * Control messages for a job serving {@code serving} (name@version 1, features x and y) whose model root is the
     * directory holding {@code insideRoot}, a file there larger than the job's max-model-bytes.
     */
    public static List<BadControl> controls(ModelBundle serving, ModelBundle otherWeights, String insideRoot) {
        byte[] good = zip(serving);
        Map<String, byte[]> entries = unzip(good);
        return List.of(
                control("not JSON", "{version".getBytes(StandardCharsets.UTF_8), "not JSON"),
                control("a JSON array", "[1]".getBytes(StandardCharsets.UTF_8), "JSON object"),
                control("no version", "{\"uri\":\"x\"}".getBytes(StandardCharsets.UTF_8), "no version"),
                control(
                        "uri and inline bundle",
                        "{\"version\":\"9\",\"uri\":\"x\",\"bundle_base64\":\"AA==\"}".getBytes(StandardCharsets.UTF_8),
                        "exactly one"),
                control(
                        "duplicate keys",
                        "{\"version\":\"9\",\"version\":\"8\",\"uri\":\"x\"}".getBytes(StandardCharsets.UTF_8),
                        "not JSON"),
                control(
                        "bad base64",
                        "{\"version\":\"9\",\"bundle_base64\":\"***\"}".getBytes(StandardCharsets.UTF_8),
                        "base64"),
                control("a version of 100,000 characters", message("v".repeat(100_000), good), "version"),
                control(
                        "a file outside the model root",
                        "{\"version\":\"9\",\"uri\":\"file:///etc/passwd\"}".getBytes(StandardCharsets.UTF_8),
                        "outside the model root"),
                control(
                        "an endless /proc file",
                        "{\"version\":\"9\",\"uri\":\"/proc/self/pagemap\"}".getBytes(StandardCharsets.UTF_8),
                        "outside the model root"),
                control(
                        "an http URI",
                        "{\"version\":\"9\",\"uri\":\"http://127.0.0.1:1/m.zip\"}".getBytes(StandardCharsets.UTF_8),
                        "only file:"),
                control(
                        "a file in the root over max-model-bytes",
                        ("{\"version\":\"9\",\"uri\":\"" + insideRoot + "\"}").getBytes(StandardCharsets.UTF_8),
                        "larger than the limit"),
                control(
                        "a zip bomb",
                        message(
                                "1",
                                zip(Map.of(
                                        "model.json", entries.get("model.json"), "weights.npz", new byte[40 << 20]))),
                        "larger than the limit"),
                control("a truncated zip", message("1", java.util.Arrays.copyOf(good, good.length / 2)), "bundle"),
                control(
                        "a zip entry named /",
                        message("1", zip(Map.of("/", new byte[] {1}))),
                        "must contain model.json"),
                control(
                        "an npy dtype ''",
                        message(
                                "1",
                                withWeights(entries, npy("{'descr': '', 'fortran_order': False, 'shape': (2,), }", 8))),
                        "dtype"),
                control(
                        "an npy negative shape",
                        message(
                                "1",
                                withWeights(
                                        entries,
                                        npy("{'descr': '<f4', 'fortran_order': False, " + "'shape': (-4, 2), }", 8))),
                        "negative dimension"),
                control(
                        "an npy shape that overflows",
                        message(
                                "1",
                                withWeights(
                                        entries,
                                        npy(
                                                "{'descr': '<f4', 'fortran_order': False, "
                                                        + "'shape': (2147483647, 2147483647, 8), }",
                                                8))),
                        "too large"),
                control(
                        "an 80K-character npy header",
                        message("1", withWeights(entries, npy("{'descr': '" + "'descr' ".repeat(10_000) + "}", 8))),
                        "header"),
                control(
                        "duplicate keys in model.json",
                        message(
                                "1",
                                withSpec(entries, "{\"name\":\"a\",\"name\":\"b\"}".getBytes(StandardCharsets.UTF_8))),
                        "not a valid model spec"),
                control(
                        "a target that is not a feature",
                        message("7", withSpec(entries, spec(serving, s -> {
                            s.putArray("targets").add("x").add("z");
                            s.put("horizon_mode", "direct");
                            s.put("horizon", 1);
                        }))),
                        "not among its features"),
                control(
                        "a null target",
                        message(
                                "7",
                                withSpec(
                                        entries,
                                        spec(serving, s -> s.putArray("targets").addNull()))),
                        "null"),
                control(
                        "a horizon of a billion",
                        message("7", withSpec(entries, spec(serving, s -> s.put("horizon", 1_000_000_000)))),
                        "horizon must be 1 to"),
                control(
                        "a hidden size of a million",
                        message("7", withSpec(entries, spec(serving, s -> s.put("hidden_size", 1_000_000)))),
                        "hidden_size must be"),
                control(
                        "other features",
                        message("7", withSpec(entries, spec(serving, s -> {
                            s.putArray("features").add("x").add("w");
                            s.putArray("targets").add("x").add("w");
                        }))),
                        "features"),
                control(
                        "weights.pt whose pickle calls os.system",
                        message(
                                "7",
                                zip(Map.of(
                                        "model.json",
                                        spec(serving, s -> s.put("weights", "weights.pt")),
                                        "weights.pt",
                                        fixture("malicious.pt")))),
                        "'posix.system' is not allowed"),
                control(
                        "a bidirectional ONNX export",
                        message(
                                "7",
                                zip(Map.of(
                                        "model.json",
                                        spec(serving, s -> s.put("weights", "model.onnx")),
                                        "model.onnx",
                                        fixture("bidirectional.onnx")))),
                        "direction=bidirectional"),
                control(
                        "a weights file outside the bundle",
                        message("7", withSpec(entries, spec(serving, s -> s.put("weights", "../../etc/passwd")))),
                        "weights must be the name of a file in the bundle"),
                control("message and bundle versions differ", message("2", good), "version"),
                control(
                        "another model under the serving name@version",
                        message("1", zip(otherWeights)),
                        "different model under the serving name and version"));
    }

    private static BadControl control(String what, byte[] message, String because) {
        return new BadControl(what, message, because);
    }

    /** An inline control message. */
    public static byte[] message(String version, byte[] zip) {
        return ("{\"version\":\"" + version + "\",\"bundle_base64\":\""
                        + Base64.getEncoder().encodeToString(zip) + "\"}")
                .getBytes(StandardCharsets.UTF_8);
    }

    public static byte[] zip(ModelBundle b) {
        try {
            return b.toZip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static byte[] zip(Map<String, byte[]> entries) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue());
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public static Map<String, byte[]> unzip(byte[] zip) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        try (var in = new java.util.zip.ZipInputStream(new java.io.ByteArrayInputStream(zip))) {
            ZipEntry e;
            while ((e = in.getNextEntry()) != null) {
                out.put(e.getName(), in.readAllBytes());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** A .npy file with the given header dict and {@code dataBytes} zero bytes of data. */
    public static byte[] npy(String header, int dataBytes) {
        byte[] h = (header + "\n").getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer b = ByteBuffer.allocate(12 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 2, 0})
                .putInt(h.length)
                .put(h);
        return b.array();
    }

    /** The bundle with weights.npz replaced by an archive holding one array file. */
    private static byte[] withWeights(Map<String, byte[]> entries, byte[] npy) {
        return zip(Map.of(
                "model.json", entries.get("model.json"), "weights.npz", zip(Map.of("rnn.weight_ih_l0.npy", npy))));
    }

    private static byte[] fixture(String name) {
        try {
            return java.nio.file.Files.readAllBytes(ImportFixtures.path(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] withSpec(Map<String, byte[]> entries, byte[] specJson) {
        return zip(Map.of("model.json", specJson, "weights.npz", entries.get("weights.npz")));
    }

    static byte[] spec(ModelBundle b, Consumer<ObjectNode> change) {
        try {
            ObjectNode s = JSON.valueToTree(b.spec());
            s.put("version", "7"); // a new version, so that only the change is wrong with it
            change.accept(s);
            return JSON.writeValueAsBytes(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** npz bytes of a bundle's weights, for tests that build archives by hand. */
    public static byte[] npz(ModelBundle b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            Npz.write(out, b.weights());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static byte[] utf32(String s) {
        byte[] body = s.getBytes(java.nio.charset.Charset.forName("UTF-32BE"));
        return concat(new byte[] {0, 0, (byte) 0xfe, (byte) 0xff}, body);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
