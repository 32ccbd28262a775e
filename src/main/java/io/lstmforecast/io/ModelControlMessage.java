package io.lstmforecast.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Base64;

/**
 * A message on the models control topic, JSON:
 * <pre>
 *   {"version": "2", "uri": "file:///models/sensors-v2.zip"}          a bundle the TaskManagers can read
 *   {"version": "2", "bundle_base64": "UEsDB..."}                       an inline zipped bundle
 * </pre>
 * {@code name} is optional; when given, it must match the bundle's name, as must the version.
 *
 * @param location the path or URI, or "inline"
 * @param inlineZip the decoded bundle for inline messages, else null
 */
public record ModelControlMessage(String name, String version, String location, byte[] inlineZip) {
    private static final ObjectMapper JSON =
            new ObjectMapper().enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    /** The size of a control message carrying an inline bundle of {@code maxInlineBytes}: base64 plus the JSON around it. */
    public static int maxMessageBytes(int maxInlineBytes) {
        return maxInlineBytes / 3 * 4 + 64 * 1024;
    }

    /** Parses a control message; throws IllegalArgumentException with the reason for a bad one. */
    public static ModelControlMessage parse(byte[] value, int maxInlineBytes) {
        JsonNode root;
        try {
            root = value == null ? null : JSON.readTree(value);
        } catch (IOException e) {
            throw new IllegalArgumentException("the control message is not JSON: "
                    + e.getMessage().lines().findFirst().orElse(""));
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(
                    "the control message must be a JSON object with version and uri or bundle_base64");
        }
        String version = text(root, "version");
        if (version == null || version.isBlank()) {
            throw new IllegalArgumentException("the control message has no version");
        }
        String uri = text(root, "uri");
        String inline = text(root, "bundle_base64");
        if ((uri == null) == (inline == null)) {
            throw new IllegalArgumentException("the control message must have exactly one of uri and bundle_base64");
        }
        if (uri != null) {
            return new ModelControlMessage(text(root, "name"), version, uri, null);
        }
        if (inline.length() > maxInlineBytes / 3 * 4 + 4) {
            throw new IllegalArgumentException("the inline bundle is larger than the limit of " + maxInlineBytes
                    + " bytes; put it where the TaskManagers can read it and send its uri");
        }
        try {
            return new ModelControlMessage(
                    text(root, "name"), version, "inline", Base64.getDecoder().decode(inline));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bundle_base64 is not valid base64: " + e.getMessage());
        }
    }

    private static String text(JsonNode root, String field) {
        JsonNode n = root.get(field);
        return n == null || n.isNull() ? null : n.asText();
    }
}
