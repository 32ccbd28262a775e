package io.lstmforecast.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Schema;
import com.networknt.schema.SpecificationVersion;
import io.lstmforecast.testing.JsonSchemas;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * The deploy files against the real schemas of what reads them (copies and sources in
 * src/test/resources/deploy-schemas): k8s/flink-deployment.yaml against the FlinkDeployment CRD's openAPIV3Schema of the
 * Flink Kubernetes Operator, and docker-compose.yml against the Compose Specification's JSON Schema. YAML is read with
 * SnakeYAML, which resolves anchors and merge keys as docker compose and kubectl do.
 */
class DeploymentSchemasTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path SCHEMAS = Path.of("src/test/resources/deploy-schemas");

    /** Every YAML document of a file, as JSON trees. */
    static List<JsonNode> yaml(Path file) throws Exception {
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(16 << 20);
        List<JsonNode> docs = new ArrayList<>();
        try (Reader in = Files.newBufferedReader(file)) {
            for (Object doc : new Yaml(options).loadAll(in)) {
                if (doc != null) {
                    docs.add(JSON.valueToTree(doc));
                }
            }
        }
        return docs;
    }

    /**
     * The CRD's schema for its served version, made as strict as the API server's field validation: an object that
     * lists its properties accepts no others unless it says x-kubernetes-preserve-unknown-fields (Kubernetes drops or
     * rejects unknown fields; a JSON Schema would let them through).
     */
    static Schema flinkDeploymentSchema() throws Exception {
        JsonNode crd = yaml(SCHEMAS.resolve("flinkdeployments.flink.apache.org-v1.yml"))
                .get(0);
        assertEquals("FlinkDeployment", crd.at("/spec/names/kind").asText());
        JsonNode version = crd.at("/spec/versions/0");
        assertEquals("v1beta1", version.get("name").asText());
        ObjectNode schema = (ObjectNode) version.at("/schema/openAPIV3Schema").deepCopy();
        // Not the root: apiVersion, kind and metadata belong to every resource, and CRDs do not list them.
        schema.fields().forEachRemaining(f -> closeObjects(f.getValue()));
        return JsonSchemas.of(
                schema,
                SpecificationVersion.DRAFT_4,
                SCHEMAS.resolve("flinkdeployments.flink.apache.org-v1.yml")
                        .toUri()
                        .toString());
    }

    private static void closeObjects(JsonNode node) {
        if (node.isObject()) {
            ObjectNode o = (ObjectNode) node;
            if (o.has("properties")
                    && !o.has("additionalProperties")
                    && !o.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)) {
                o.put("additionalProperties", false);
            }
        }
        for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) {
            closeObjects(it.next());
        }
    }

    static Schema composeSchema() throws Exception {
        Path file = SCHEMAS.resolve("compose-spec.json");
        return JsonSchemas.of(
                JSON.readTree(file.toFile()),
                SpecificationVersion.DRAFT_7,
                file.toUri().toString());
    }

    @Test
    void theFlinkDeploymentConformsToTheOperatorsCrd() throws Exception {
        Schema schema = flinkDeploymentSchema();
        List<JsonNode> deployments = new ArrayList<>();
        for (JsonNode doc : yaml(Path.of("k8s/flink-deployment.yaml"))) {
            if (doc.path("kind").asText().equals("FlinkDeployment")) {
                deployments.add(doc);
            }
        }
        assertEquals(1, deployments.size(), "k8s/flink-deployment.yaml holds one FlinkDeployment");
        JsonNode deployment = deployments.get(0);
        assertEquals(List.of(), JsonSchemas.errors(schema, deployment));
        assertEquals("v2_2", deployment.at("/spec/flinkVersion").asText());
        // The check can fail: a misspelt field, or a Flink version the operator does not know, is refused.
        ObjectNode misspelt = deployment.deepCopy();
        ((ObjectNode) misspelt.get("spec")).set("jobManger", misspelt.at("/spec/jobManager"));
        assertFalse(JsonSchemas.errors(schema, misspelt).isEmpty(), "spec.jobManger is refused");
        ObjectNode future = deployment.deepCopy();
        ((ObjectNode) future.get("spec")).put("flinkVersion", "v9_9");
        assertFalse(JsonSchemas.errors(schema, future).isEmpty(), "flinkVersion v9_9 is refused");
    }

    @Test
    void dockerComposeConformsToTheComposeSpecification() throws Exception {
        Schema schema = composeSchema();
        JsonNode compose = yaml(Path.of("docker-compose.yml")).get(0);
        assertEquals(List.of(), JsonSchemas.errors(schema, compose));
        // The check can fail: a service key compose does not know is refused.
        ObjectNode wrong = compose.deepCopy();
        Map.Entry<String, JsonNode> first = wrong.get("services").fields().next();
        ((ObjectNode) first.getValue()).put("restart_policy", "always");
        assertFalse(JsonSchemas.errors(schema, wrong).isEmpty(), "services." + first.getKey() + ".restart_policy");
    }
}
