package io.lstmforecast.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lstmforecast.cluster.FlinkRest;
import io.lstmforecast.event.DeadLetterReason;
import io.lstmforecast.event.Forecast;
import io.lstmforecast.generate.EventGenerator;
import io.lstmforecast.generate.Generators;
import io.lstmforecast.io.OutputJson;
import io.lstmforecast.testing.KafkaTopics;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The docker-compose demo as a user starts it, on the stand-in images scripts/compose-standins builds (no image
 * registry here): Kafka, the Flink session cluster with the submitted sensors job, the generator, the console and
 * Prometheus (Grafana has no stand-in: its dashboard's queries are run against Prometheus instead). The stack is
 * torn down afterwards, volumes included; its containers' logs (but the console's) are kept in
 * target/compose-it/compose.log.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ComposeDemoIT {
    // Generous: the stack shares the machine with whatever else runs (load averages of 50 on 2 cores were seen).
    static final Duration LONG = Duration.ofMinutes(5);
    static final ObjectMapper JSON = new ObjectMapper();
    static final String EVENTS = "sensors.events";
    static final String FORECASTS = "sensors.forecasts";
    static final String DEAD_LETTERS = "sensors.events.dlq";
    static final String OPERATOR = "flink_taskmanager_job_task_operator_";

    static ComposeStack stack;
    static FlinkRest rest;
    static String jobId;

    @BeforeAll
    static void up() throws Exception {
        stack = new ComposeStack();
        stack.useStandIns();
        stack.compose("build", "jobmanager");
        stack.compose(
                "up",
                "-d",
                "kafka",
                "topics",
                "jobmanager",
                "taskmanager",
                "submit",
                "generator",
                "console",
                "prometheus");
        rest = new FlinkRest(stack.flinkRest());
    }

    @AfterAll
    static void down() throws Exception {
        if (stack != null) {
            try {
                // Not the console's: it prints every forecast.
                stack.saveLogs(
                        Path.of("target", "compose-it", "compose.log"),
                        "kafka",
                        "topics",
                        "jobmanager",
                        "taskmanager",
                        "submit",
                        "generator",
                        "prometheus");
            } finally {
                stack.close();
            }
        }
    }

    @Test
    @Order(1)
    void theJobManagerReportsTheSubmittedJobRunning() throws Exception {
        await("the submit container's job at the JobManager", () -> sensorsJob() != null);
        jobId = sensorsJob();
        rest.awaitAllTasksRunning(jobId, LONG);
        assertEquals("RUNNING", rest.state(jobId));
    }

    @Test
    @Order(2)
    void committedForecastsArriveForEveryEntityOfTheGenerator() throws Exception {
        Set<String> entities = generatorEntities();
        Set<String> seen = new TreeSet<>();
        await("committed forecasts for all " + entities.size() + " generator entities", () -> {
            forecasts().forEach(f -> seen.add(f.entityId()));
            return seen.containsAll(entities);
        });
        assertEquals(entities, seen, "forecasts for the generator's entities and no others");
    }

    @Test
    @Order(3)
    void prometheusScrapesTheJobsMetricsUnderTheNamesTheDashboardQueries() throws Exception {
        List<String> queries = dashboardQueries();
        assertTrue(queries.size() >= 12, "the dashboard's panels: " + queries);
        for (String q : List.of("skill", "intervalCoverage", "deadLetters")) {
            assertTrue(queries.stream().anyMatch(e -> e.contains(OPERATOR + q)), "the dashboard shows " + q);
        }
        // Rates need two scrapes in their window: every query has an answer within a minute or so.
        for (String q : queries) {
            await(
                    "Prometheus answers the dashboard's " + q,
                    () -> !prometheus(q).isEmpty());
        }
        await(
                "a finite skill and interval coverage",
                () -> finite(value(OPERATOR + "skill")) && finite(value(OPERATOR + "intervalCoverage")));
        double coverage = value(OPERATOR + "intervalCoverage");
        assertTrue(coverage > 0.5 && coverage <= 1, "interval coverage " + coverage);
        assertTrue(value(OPERATOR + "skill") < 1, "skill is 1 - MAE(model)/MAE(baseline), below 1");
        // The dashboard's dead-letter panel: one series per reason, named after it, all zero (the generator's events
        // are valid).
        String deadLetterQuery = queries.stream()
                .filter(q -> q.contains(OPERATOR + "deadLetters"))
                .findFirst()
                .orElseThrow();
        Set<String> reasons = new TreeSet<>();
        for (JsonNode series : prometheus(deadLetterQuery)) {
            reasons.add(series.get("metric").get("__name__").asText().substring((OPERATOR + "deadLetters_").length()));
            assertEquals(0, series.get("value").get(1).asDouble(), "dead letters of the generator's events: " + series);
        }
        Set<String> expected = new TreeSet<>();
        for (DeadLetterReason r : DeadLetterReason.values()) {
            expected.add(r.id());
        }
        assertEquals(expected, reasons, "one dead-letter counter per reason");
    }

    @Test
    @Order(4)
    void aTaskManagerContainerKilledAndRestartedResumesWithoutLossOrDuplicates() throws Exception {
        int before = rest.failovers(jobId);
        assertFalse(forecasts().isEmpty(), "forecasts committed before the kill");
        stack.compose("kill", "taskmanager");
        stack.compose("start", "taskmanager");
        await("a failover after the kill", () -> rest.failovers(jobId) > before);
        rest.awaitAllTasksRunning(jobId, LONG);
        long after = forecasts().size();
        await("new committed forecasts after the restart", () -> forecasts().size() > after);
        // The generator stops; the events topic then holds every input, and the job must forecast each exactly once.
        stack.compose("stop", "generator");
        Map<String, Integer> events = new TreeMap<>();
        for (var r : KafkaTopics.readCommittedToEnd(stack.bootstrapServers(), EVENTS)) {
            events.merge(JSON.readTree(r.value()).get("sensor").asText(), 1, Integer::sum);
        }
        assertEquals(generatorEntities(), events.keySet());
        Map<String, List<Long>> steps = new TreeMap<>();
        await("one committed forecast per event", () -> {
            steps.clear();
            forecasts()
                    .forEach(f -> steps.computeIfAbsent(f.entityId(), e -> new ArrayList<>())
                            .add(f.step()));
            Map<String, Integer> counts = new TreeMap<>();
            steps.forEach((e, s) -> counts.put(e, s.size()));
            return counts.equals(events);
        });
        for (var e : steps.entrySet()) {
            List<Long> sorted = e.getValue().stream().sorted().toList();
            for (int i = 0; i < sorted.size(); i++) {
                assertEquals(i + 1, sorted.get(i), e.getKey() + ": steps 1.." + sorted.size() + ", each once");
            }
        }
        assertTrue(
                KafkaTopics.readCommittedToEnd(stack.bootstrapServers(), DEAD_LETTERS)
                        .isEmpty(),
                "no dead letters");
        assertEquals("RUNNING", rest.state(jobId));
    }

    /** The id of the job named "lstm-forecast sensors", or null before it is submitted. */
    static String sensorsJob() throws Exception {
        for (JsonNode job : rest.get("/jobs/overview").get("jobs")) {
            if (job.get("name").asText().equals("lstm-forecast sensors")) {
                return job.get("jid").asText();
            }
        }
        return null;
    }

    /** The entities of the generator container's `produce --generator` (20 by default, any seed). */
    static Set<String> generatorEntities() {
        EventGenerator g = Generators.forJob("sensors", 20, 1, 0);
        Set<String> ids = new TreeSet<>();
        for (int i = 0; i < 1000; i++) {
            ids.add(g.next().entityId());
        }
        return ids;
    }

    static List<Forecast> forecasts() {
        return KafkaTopics.readCommittedToEnd(stack.bootstrapServers(), FORECASTS).stream()
                .map(r -> OutputJson.parseForecast(r.value()))
                .toList();
    }

    /** Every "expr" of deploy/grafana/dashboards/lstm-forecast.json. */
    static List<String> dashboardQueries() throws Exception {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("\"expr\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"")
                .matcher(Files.readString(Path.of("deploy/grafana/dashboards/lstm-forecast.json")));
        while (m.find()) {
            out.add(JSON.readValue("\"" + m.group(1) + "\"", String.class));
        }
        return out;
    }

    /** The result vector of an instant query. */
    static List<JsonNode> prometheus(String query) throws Exception {
        URI uri = URI.create(
                stack.prometheus() + "/api/v1/query?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8));
        HttpResponse<String> r = HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), query + ": " + r.body());
        List<JsonNode> out = new ArrayList<>();
        JSON.readTree(r.body()).get("data").get("result").forEach(out::add);
        return out;
    }

    /** The value of the single series of a metric (the job runs at parallelism 1). */
    static double value(String metric) throws Exception {
        List<JsonNode> result = prometheus(metric);
        assertEquals(1, result.size(), metric + ": " + result);
        return Double.parseDouble(result.get(0).get("value").get(1).asText());
    }

    static boolean finite(double v) {
        return Double.isFinite(v);
    }

    interface Check {
        boolean holds() throws Exception;
    }

    static void await(String what, Check check) throws Exception {
        long deadline = System.nanoTime() + LONG.toNanos();
        while (!check.holds()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + LONG + ": " + what);
            }
            Thread.sleep(2000);
        }
    }
}
