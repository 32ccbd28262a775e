package io.lstmforecast.job;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.lstmforecast.job.JobConfigLoader.InvalidJobException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A job file's YAML as a tree of settings; a key written twice is an error, not a silent choice of one. */
final class JobFile {
    static final ObjectMapper YAML =
            new ObjectMapper(new YAMLFactory()).enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private JobFile() {}

    /** The file's mapping of settings. */
    static ObjectNode read(Path file) {
        try {
            JsonNode tree = YAML.readTree(Files.readAllBytes(file));
            if (tree == null || !tree.isObject()) {
                throw new InvalidJobException(file + " must be a YAML mapping of job settings");
            }
            return (ObjectNode) tree;
        } catch (IOException e) {
            String why = e.getMessage().lines().findFirst().orElse("");
            throw new InvalidJobException(file
                    + (why.startsWith("Duplicate field")
                            ? " has a duplicate key: " + why
                            : " is not valid YAML: " + why));
        }
    }

    /** A value written as YAML (an override's right-hand side): a number, a list, a mapping or text. */
    static JsonNode value(String yaml) throws IOException {
        return YAML.readTree(yaml);
    }

    /** A Java value (a number, a string, a list) as a tree node. */
    static JsonNode valueOf(Object value) {
        return YAML.valueToTree(value);
    }

    static ObjectNode emptyTree() {
        return YAML.createObjectNode();
    }
}
