package io.lstmforecast.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lstmforecast.job.JobConfigLoader.InvalidJobException;
import java.io.IOException;

/**
 * Settings given as {@code key=value} with a dotted key (the command line's --set), applied to a job file's tree:
 * {@code kafka.bootstrap-servers=127.0.0.1:9092} sets bootstrap-servers in the mapping kafka. The value is read as
 * YAML, so {@code parallelism=2} is a number and {@code event.time-features=[hour-of-day]} a list.
 */
final class Overrides {
    private static final String KAFKA_PROPERTIES = io.lstmforecast.config.Kafka.PROPERTIES + ".";
    private static final String FLINK = JobConfig.FLINK + ".";

    private Overrides() {}

    static void apply(ObjectNode root, String assignment) {
        int eq = assignment.indexOf('=');
        if (eq <= 0) {
            throw new InvalidJobException("override '" + assignment + "' must look like key=value, e.g. parallelism=2");
        }
        String raw = assignment.substring(eq + 1);
        JsonNode value;
        try {
            value = raw.isEmpty() ? JsonNodeFactory.instance.nullNode() : JobFile.value(raw);
        } catch (IOException e) {
            value = JsonNodeFactory.instance.textNode(raw);
        }
        set(root, assignment.substring(0, eq).trim(), value);
    }

    /** Sets the dotted {@code key}, creating the mappings on its way. */
    static void set(ObjectNode root, String key, JsonNode value) {
        String[] path = key.split("\\.");
        if (key.startsWith(KAFKA_PROPERTIES)) {
            // Kafka property names contain dots themselves: everything after kafka.properties is one key.
            path = new String[] {"kafka", "properties", key.substring(KAFKA_PROPERTIES.length())};
        } else if (key.startsWith(FLINK)) {
            // So do Flink's configuration keys.
            path = new String[] {JobConfig.FLINK, key.substring(FLINK.length())};
        }
        ObjectNode node = root;
        for (int i = 0; i < path.length - 1; i++) {
            JsonNode child = node.get(path[i]);
            node = child instanceof ObjectNode o ? o : node.putObject(path[i]);
        }
        node.set(path[path.length - 1], value);
    }
}
