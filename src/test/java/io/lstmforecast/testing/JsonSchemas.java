package io.lstmforecast.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/** JSON Schemas read with networknt's validator, and what a document breaks of one, in words. */
public final class JsonSchemas {
    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonSchemas() {}

    /**
     * The schema in {@code tree}, read under {@code version} when the schema names no $schema of its own; {@code
     * location} (a URI) is where it was read from, against which a relative $id resolves.
     */
    public static Schema of(JsonNode tree, SpecificationVersion version, String location) {
        return SchemaRegistry.withDefaultDialect(version).getSchema(SchemaLocation.of(location), tree);
    }

    /** The schema at {@code resource} on the class path (e.g. /schemas/forecast.schema.json). */
    public static Schema resource(String resource, SpecificationVersion version) {
        try (InputStream in = JsonSchemas.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is not on the class path");
            }
            return of(JSON.readTree(in), version, "classpath:" + resource.substring(1));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Each error as "location: message", empty when the document conforms. */
    public static List<String> errors(Schema schema, JsonNode document) {
        return schema.validate(document).stream().map(JsonSchemas::describe).toList();
    }

    private static String describe(Error e) {
        return e.getInstanceLocation() + ": " + e.getMessage();
    }
}
