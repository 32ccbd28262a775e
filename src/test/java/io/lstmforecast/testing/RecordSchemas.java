package io.lstmforecast.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Schema;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The shipped JSON Schemas of the output records (src/main/resources/schemas), for checking what a job wrote. */
public enum RecordSchemas {
    FORECAST("forecast"),
    ALERT("alert"),
    DEAD_LETTER("dead-letter"),
    MODEL_STATUS("model-status");

    private static final ObjectMapper JSON = new ObjectMapper();
    private final String resource;
    private Schema schema;

    RecordSchemas(String name) {
        this.resource = "/schemas/" + name + ".schema.json";
    }

    public String resource() {
        return resource;
    }

    /** The schema's errors for one record's value, empty when it conforms. */
    public synchronized List<String> errors(byte[] value) {
        if (schema == null) {
            schema = JsonSchemas.resource(resource, SpecificationVersion.DRAFT_2020_12);
        }
        try {
            return JsonSchemas.errors(schema, JSON.readTree(value));
        } catch (IOException e) {
            return List.of("not JSON: " + e.getMessage());
        }
    }

    /** Fails with the errors and the record when the record's value does not conform. */
    public void assertConforms(byte[] value) {
        List<String> errors = errors(value);
        if (!errors.isEmpty()) {
            throw new AssertionError(
                    resource + " rejects " + new String(value, StandardCharsets.UTF_8) + ": " + errors);
        }
    }

    /** The schema file as a tree. */
    public JsonNode tree() throws IOException {
        return JSON.readTree(RecordSchemas.class.getResourceAsStream(resource));
    }
}
