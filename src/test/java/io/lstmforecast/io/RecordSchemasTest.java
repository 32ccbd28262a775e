package io.lstmforecast.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lstmforecast.event.DeadLetterReason;
import io.lstmforecast.testing.RecordSchemas;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The shipped JSON Schemas of the output records can fail: they refuse a record that lacks a field, has a wrong type or
 * an unknown field, and the dead-letter schema lists exactly the job's reasons. That real job output conforms is checked
 * where jobs run (KafkaJobTest).
 */
class RecordSchemasTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theSchemasRejectWhatTheyShouldAndListEveryDeadLetterReason() throws Exception {
        // A forecast without its horizon, with a string for a number, or with a field no consumer knows, is not one.
        byte[] good = ("{\"entity\":\"a\",\"event_time\":1,\"event_time_iso\":\"1970-01-01T00:00:00.001Z\","
                        + "\"model\":{\"name\":\"m\",\"version\":\"1\"},\"step\":1,\"horizon\":2,\"targets\":[\"x\"],"
                        + "\"actual\":{\"x\":1.5},\"forecast\":{\"x\":[1.0,2.0]},\"previous_error\":null,"
                        + "\"rolling_mae\":{\"x\":0.1},\"rolling_rmse\":{\"x\":0.2},\"lower\":null,\"upper\":null}")
                .getBytes(StandardCharsets.UTF_8);
        RecordSchemas.FORECAST.assertConforms(good);
        ObjectNode tree = (ObjectNode) JSON.readTree(good);
        assertFalse(RecordSchemas.FORECAST
                .errors(bytes(tree.deepCopy().without("horizon")))
                .isEmpty());
        assertFalse(RecordSchemas.FORECAST
                .errors(bytes(tree.deepCopy().put("step", "one")))
                .isEmpty());
        assertFalse(RecordSchemas.FORECAST
                .errors(bytes(tree.deepCopy().put("extra", 1)))
                .isEmpty());
        // A baseline without its figures is not one either.
        assertFalse(RecordSchemas.FORECAST
                .errors(bytes(tree.deepCopy().put("baseline", "persistence")))
                .isEmpty());
        // A rejected model with no reason, or an accepted one with a reason, is not a model status.
        assertFalse(RecordSchemas.MODEL_STATUS
                .errors(("{\"name\":\"m\",\"version\":\"2\",\"status\":\"rejected\",\"reason\":null,"
                                + "\"source\":\"inline\",\"time\":5}")
                        .getBytes(StandardCharsets.UTF_8))
                .isEmpty());
        assertFalse(RecordSchemas.MODEL_STATUS
                .errors(("{\"name\":\"m\",\"version\":\"2\",\"status\":\"accepted\",\"reason\":\"x\","
                                + "\"source\":\"inline\",\"time\":5}")
                        .getBytes(StandardCharsets.UTF_8))
                .isEmpty());
        // The dead-letter schema lists exactly the job's reasons: a new reason needs the schema (and records.md) too.
        TreeSet<String> inSchema = new TreeSet<>();
        RecordSchemas.DEAD_LETTER
                .tree()
                .get("properties")
                .get("reason")
                .get("enum")
                .forEach(n -> inSchema.add(n.asText()));
        TreeSet<String> inCode = new TreeSet<>();
        Arrays.stream(DeadLetterReason.values()).forEach(r -> inCode.add(r.id()));
        assertEquals(inCode, inSchema, RecordSchemas.DEAD_LETTER.resource() + " lists the reasons of DeadLetterReason");
    }

    private static byte[] bytes(ObjectNode node) throws Exception {
        return JSON.writeValueAsBytes(node);
    }
}
