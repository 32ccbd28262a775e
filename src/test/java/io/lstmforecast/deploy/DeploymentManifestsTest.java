package io.lstmforecast.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The deployment files checked as data: they parse, pin their images, mount only files that exist, and carry the
 * settings ND4J and exactly-once need. (The compose suite, ComposeDemoIT, also runs docker-compose.yml; no
 * Kubernetes runs here.)
 */
class DeploymentManifestsTest {
    static final YAMLMapper YAML = new YAMLMapper();

    static JsonNode compose() throws Exception {
        return YAML.readTree(Path.of("docker-compose.yml").toFile());
    }

    static List<JsonNode> k8s() throws Exception {
        List<JsonNode> docs = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of("k8s"))) {
            for (Path f :
                    files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                try (var it = YAML.readerFor(JsonNode.class).readValues(new YAMLFactory().createParser(f.toFile()))) {
                    while (it.hasNext()) {
                        docs.add((JsonNode) it.next());
                    }
                }
            }
        }
        return docs;
    }

    @Test
    void composeHasEveryServiceWithPinnedImagesHealthChecksAndExistingMounts() throws Exception {
        JsonNode services = compose().get("services");
        for (String s : List.of(
                "kafka",
                "topics",
                "jobmanager",
                "taskmanager",
                "submit",
                "generator",
                "console",
                "prometheus",
                "grafana")) {
            assertNotNull(services.get(s), "service " + s);
        }
        assertNull(compose().get("name"), "no top-level name: docker-compose 1.29 rejects it (-p gives the project)");
        services.fields().forEachRemaining(e -> {
            JsonNode image = e.getValue().get("image");
            if (image != null) {
                // ${VARIABLE:-default}: the default is the image users get.
                String ref = image.asText().replaceAll("^\\$\\{[A-Z_]+:-(.*)}$", "$1");
                assertTrue(ref.contains(":") && !ref.endsWith(":latest"), e.getKey() + " pins its image: " + ref);
            }
            JsonNode volumes = e.getValue().get("volumes");
            if (volumes != null) {
                volumes.forEach(v -> {
                    String host = v.asText().split(":")[0];
                    if (host.startsWith("./")) {
                        assertTrue(
                                Files.exists(Path.of(host)),
                                e.getKey() + " mounts " + host + ", which must exist in the repo");
                    }
                });
            }
        });
        for (String s : List.of("kafka", "jobmanager")) {
            assertNotNull(services.get(s).get("healthcheck"), s + " has a health check");
        }
        assertEquals(".", services.get("jobmanager").get("build").get("context").asText());
        assertTrue(Files.exists(Path.of("Dockerfile")));
        assertTrue(services.get("jobmanager").get("ports").toString().contains("8081"));
        assertTrue(services.get("grafana").get("ports").toString().contains("3000"));
        String flinkConf =
                compose().get("x-flink-config").get("FLINK_PROPERTIES").asText();
        assertTrue(flinkConf.contains("taskmanager.memory.task.off-heap.size"));
        assertTrue(flinkConf.contains("classloader.parent-first-patterns.additional: org.nd4j.;org.bytedeco."));
    }

    @Test
    void theDockerfilePinsFlinkAndPutsNd4jInLibAndTheJobInUsrlib() throws Exception {
        String docker = Files.readString(Path.of("Dockerfile"));
        assertTrue(docker.contains("ARG FLINK_IMAGE=flink:2.2.0-scala_2.12-java17")
                && docker.contains("FROM ${FLINK_IMAGE}"));
        assertTrue(docker.contains("ARG MAVEN_IMAGE=maven:3.9.9-eclipse-temurin-17")
                && docker.contains("FROM ${MAVEN_IMAGE}"));
        // The compose file passes the base images on with the Dockerfile's defaults as its own.
        JsonNode args = compose().get("services").get("jobmanager").get("build").get("args");
        for (String arg : List.of("FLINK_IMAGE", "MAVEN_IMAGE", "PREBUILT")) {
            String value = args.get(arg).asText();
            String fallback = value.replaceAll("^\\$\\{" + arg + ":-(.*)}$", "$1");
            assertTrue(
                    docker.contains("ARG " + arg + "=" + fallback), arg + " defaults to the Dockerfile's " + fallback);
        }
        assertTrue(docker.contains("/opt/flink/lib/") && docker.contains("/opt/flink/usrlib/lstm-forecast.jar"));
        assertTrue(docker.contains("USER flink"), "runs as non-root");
    }

    @Test
    void prometheusScrapesFlinkAndTheDashboardShowsTheJobsMetrics() throws Exception {
        JsonNode prom =
                YAML.readTree(Path.of("deploy/prometheus/prometheus.yml").toFile());
        assertTrue(prom.toString().contains("9249"));
        JsonNode dash = new ObjectMapper()
                .readTree(
                        Path.of("deploy/grafana/dashboards/lstm-forecast.json").toFile());
        String queries = dash.get("panels").toString();
        for (String metric : List.of(
                "eventsPerSecond",
                "forecastLatencyMs",
                "batchSize",
                "deadLetters",
                "skill",
                "intervalCoverage",
                "rollingMae",
                "expiredEntities",
                "modelSwaps")) {
            assertTrue(queries.contains(metric), "dashboard shows " + metric);
        }
    }

    @Test
    void theFlinkDeploymentUpgradesBySavepointWithHaOffHeapMemoryAndNonRootPods() throws Exception {
        JsonNode fd = k8s().stream()
                .filter(d -> d.get("kind").asText().equals("FlinkDeployment"))
                .findFirst()
                .orElseThrow();
        JsonNode spec = fd.get("spec");
        assertEquals("savepoint", spec.get("job").get("upgradeMode").asText());
        assertTrue(spec.get("job").get("jarURI").asText().startsWith("local:///opt/flink/usrlib/"));
        JsonNode conf = spec.get("flinkConfiguration");
        for (String key : List.of(
                "high-availability.type",
                "high-availability.storageDir",
                "execution.checkpointing.dir",
                "execution.checkpointing.savepoint-dir",
                "taskmanager.memory.task.off-heap.size",
                "classloader.parent-first-patterns.additional")) {
            assertNotNull(conf.get(key), key);
        }
        JsonNode pod = spec.get("podTemplate").get("spec");
        assertTrue(pod.get("securityContext").get("runAsNonRoot").asBoolean());
        JsonNode container = pod.get("containers").get(0);
        assertTrue(
                container.get("securityContext").get("readOnlyRootFilesystem").asBoolean());
        assertNotNull(container.get("resources").get("limits"));
        assertTrue(container.get("env").toString().contains("secretKeyRef"), "Kafka password from a Secret");
    }

    @Test
    void kafkaIsAStrimziClusterWithTheJobsTopicsAndNoPasswordIsWrittenDown() throws Exception {
        List<JsonNode> docs = k8s();
        List<String> kinds = docs.stream().map(d -> d.get("kind").asText()).toList();
        assertTrue(kinds.containsAll(
                List.of("Kafka", "KafkaNodePool", "KafkaTopic", "KafkaUser", "ConfigMap", "FlinkDeployment")));
        assertTrue(docs.stream()
                .anyMatch(d -> d.get("kind").asText().equals("KafkaTopic")
                        && d.get("metadata").get("name").asText().equals("sensors.models")
                        && d.get("spec").get("partitions").asInt() == 1));
        for (JsonNode d : docs) {
            String text = d.toString();
            assertFalse(text.matches("(?s).*password=\\\\\"[^$\\\\].*"), "no password literal in " + d.get("kind"));
        }
        String job = docs.stream()
                .filter(d -> d.get("kind").asText().equals("ConfigMap"))
                .findFirst()
                .orElseThrow()
                .get("data")
                .get("job.yaml")
                .asText();
        assertTrue(job.contains("${KAFKA_PASSWORD}"));
    }

    /** The standalone cluster scripts resolve their own poms; a version there that drifts from the job's breaks the cluster. */
    @Test
    void standaloneClusterClasspathsUseTheJobsVersions() throws Exception {
        for (String pom : List.of("deploy/standalone/flink/pom.xml", "deploy/standalone/sql-client/pom.xml")) {
            assertEquals(
                    pomProperty("pom.xml", "flink.version"), pomProperty(pom, "flink.version"), pom + " flink.version");
        }
        for (String key : List.of("nd4j.version", "javacpp.version", "openblas.version", "javacpp.platform")) {
            assertEquals(
                    pomProperty("pom.xml", key),
                    pomProperty("deploy/standalone/nd4j/pom.xml", key),
                    "deploy/standalone/nd4j/pom.xml " + key);
        }
        assertEquals(
                pomProperty("pom.xml", "kafka.version"),
                pomProperty("deploy/standalone/kafka/pom.xml", "kafka.version"),
                "deploy/standalone/kafka/pom.xml kafka.version");
    }

    static String pomProperty(String pom, String name) throws Exception {
        var doc = javax.xml.parsers.DocumentBuilderFactory.newInstance()
                .newDocumentBuilder()
                .parse(Path.of(pom).toFile());
        var properties =
                (org.w3c.dom.Element) doc.getElementsByTagName("properties").item(0);
        var values = properties.getElementsByTagName(name);
        assertEquals(1, values.getLength(), pom + " defines " + name);
        return values.item(0).getTextContent().strip();
    }
}
