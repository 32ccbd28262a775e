package io.lstmforecast.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.lstmforecast.cli.Main;
import io.lstmforecast.cluster.FlinkRest;
import io.lstmforecast.cluster.StandaloneCluster;
import io.lstmforecast.event.Event;
import io.lstmforecast.event.Forecast;
import io.lstmforecast.io.OutputJson;
import io.lstmforecast.testing.KafkaTopics;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The shaded job jar on a real Flink 2.2 standalone cluster (JobManager and TaskManager processes) and a real
 * Kafka broker process, both started by the repository's scripts, submitted and operated through Flink's REST
 * API as a user would. Every scenario checks the committed (read_committed) output: exactly one forecast per
 * input event, each equal within 1e-5 to the uninterrupted computation over that entity's events.
 */
class JobOnClusterIT {
    /** A job file refers to it as ${LSTM_TEST_SECRET}; it must never show in logs or the REST API / web UI. */
    static final String SECRET = "s3cret-" + UUID.randomUUID();

    static final Duration LONG = Duration.ofMinutes(3);
    static final Path DIR = Path.of("target", "cluster-it").toAbsolutePath();

    static StandaloneCluster cluster;
    static FlinkRest rest;
    static String jarId;

    @BeforeAll
    static void start() throws Exception {
        ForecastJobTest.model();
        deleteRecursively(DIR);
        cluster = new StandaloneCluster(DIR.resolve("standalone"), Map.of("LSTM_TEST_SECRET", SECRET));
        cluster.startKafka();
        cluster.startFlink();
        rest = new FlinkRest(cluster.restAddress());
        jarId = rest.uploadJar(Path.of(System.getProperty("job.jar", "target/lstm-forecast-cluster.jar")));
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** A job file with the test model, its own topics (created by the `topics` command), checkpoints every second. */
    static Path jobFile(String name) throws Exception {
        // No idleness: a partition that pauses during a failover must not let the others race ahead.
        Path file = KafkaJobTest.writeJob(
                DIR.resolve(name),
                name,
                cluster.bootstrapServers(),
                "1s",
                Map.of("ssl.truststore.password", "${LSTM_TEST_SECRET}"),
                List.of("idle-timeout: 0"));
        // The topics command runs here, in the test's JVM: the variable it needs is the cluster's, not ours.
        assertEquals(
                0,
                Main.execute(
                        "topics",
                        "--job",
                        file.toString(),
                        "--partitions",
                        "3",
                        "--set",
                        "kafka.properties.ssl.truststore.password=unused-here"));
        return file;
    }

    static String submit(Path job, String savepoint, String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("run", "--job", job.toString()));
        args.addAll(List.of(extra));
        String id = rest.run(jarId, args, savepoint);
        rest.awaitAllTasksRunning(id, LONG);
        return id;
    }

    static JobConfig config(Path job) throws Exception {
        return JobConfigLoader.load(job, List.of("kafka.properties.ssl.truststore.password=unused-here"));
    }

    static void produce(Path job, List<Event> events) throws Exception {
        KafkaTopics.produce(
                cluster.bootstrapServers(),
                config(job).kafka().topics().events(),
                events.stream().map(KafkaJobTest::json).toList());
    }

    static void flush(Path job, List<Event> events) throws Exception {
        KafkaJobTest.releaseLastEvents(cluster.bootstrapServers(), config(job), events);
    }

    /** Sends the events, releases the last ones, and waits until one forecast per event is committed. */
    static void produceAndAwaitEveryForecast(Path job, List<Event> events) throws Exception {
        produce(job, events);
        flush(job, events);
        assertEquals(events.size(), committedForecasts(job, events.size()).size());
    }

    static List<Forecast> committedForecasts(Path job, int expected) throws Exception {
        return KafkaTopics.readCommitted(
                        cluster.bootstrapServers(), config(job).kafka().topics().forecasts(), expected, LONG)
                .stream()
                .map(r -> OutputJson.parseForecast(r.value()))
                .filter(f -> !f.entityId().startsWith("flush-"))
                .toList();
    }

    @Test
    void aTaskManagerKilledMidStreamIsReplacedAndTheCommittedOutputHasExactlyOneForecastPerEvent() throws Exception {
        Path job = jobFile("failover");
        List<Event> events = ForecastJobTest.events(40, 300, 21);
        String id = submit(job, null);
        try {
            boolean killed = false;
            int chunk = 400;
            for (int i = 0; i < events.size(); i += chunk) {
                produce(job, events.subList(i, Math.min(i + chunk, events.size())));
                Thread.sleep(200);
                if (!killed && i >= events.size() / 3) {
                    assertFalse(committedForecasts(job, 1).isEmpty(), "forecasts committed before the crash");
                    cluster.killTaskManager();
                    cluster.startTaskManager();
                    killed = true;
                }
            }
            flush(job, events);
            List<Forecast> out = committedForecasts(job, events.size());
            assertTrue(rest.failovers(id) >= 1, "the job failed over after the kill");
            assertEquals("RUNNING", rest.state(id));
            KafkaJobTest.assertOneExactForecastPerEvent(events, out);
        } finally {
            rest.cancelIfRunning(id);
        }
    }

    @ParameterizedTest(name = "parallelism 2 -> {0}")
    @ValueSource(ints = {1, 3})
    void stoppedWithASavepointAtParallelism2AndResumedAtAnotherEveryEntityContinuesAsIfUninterrupted(int parallelism)
            throws Exception {
        Path job = jobFile("rescale-" + parallelism);
        List<Event> events = ForecastJobTest.events(30, 100, 30 + parallelism);
        int half = events.size() / 2;
        String first = submit(job, null);
        String savepoint;
        try {
            produce(job, events.subList(0, half));
            assertFalse(committedForecasts(job, 1).isEmpty(), "forecasts committed before the stop");
            savepoint = rest.stopWithSavepoint(first, LONG);
            rest.awaitState(first, LONG, "FINISHED");
        } finally {
            rest.cancelIfRunning(first);
        }
        String second = submit(job, savepoint, "--parallelism", String.valueOf(parallelism));
        try {
            JsonNode forecastVertex = null;
            for (JsonNode v : rest.get("/jobs/" + second).get("vertices")) {
                if (v.get("name").asText().startsWith("forecast")) {
                    forecastVertex = v;
                }
            }
            assertEquals(
                    parallelism, forecastVertex.get("parallelism").asInt(), "the forecast operator's new parallelism");
            produce(job, events.subList(half, events.size()));
            flush(job, events);
            KafkaJobTest.assertOneExactForecastPerEvent(events, committedForecasts(job, events.size()));
        } finally {
            rest.cancelIfRunning(second);
        }
    }

    @Test
    void aBrokerRestartMidStreamLosesAndDuplicatesNothing() throws Exception {
        Path job = jobFile("broker-restart");
        List<Event> events = ForecastJobTest.events(30, 100, 50);
        int half = events.size() / 2;
        String id = submit(job, null);
        try {
            produce(job, events.subList(0, half));
            assertFalse(committedForecasts(job, 1).isEmpty(), "forecasts committed before the broker restart");
            cluster.stopKafka();
            Thread.sleep(5000);
            cluster.startKafka();
            produce(job, events.subList(half, events.size()));
            flush(job, events);
            KafkaJobTest.assertOneExactForecastPerEvent(events, committedForecasts(job, events.size()));
            assertEquals("RUNNING", rest.state(id));
        } finally {
            rest.cancelIfRunning(id);
        }
    }

    @Test
    void threeJobsInOneTaskManagerJvmAllComputeWithNd4jLoadedOnceFromTheClusterClasspath() throws Exception {
        List<Long> taskManagers = cluster.taskManagerPids();
        assertEquals(1, taskManagers.size(), "one TaskManager");
        for (int run = 1; run <= 3; run++) {
            Path job = jobFile("restart-" + run);
            List<Event> events = ForecastJobTest.events(5, 40, 60 + run);
            produce(job, events);
            String id = rest.run(jarId, List.of("run", "--job", job.toString(), "--bounded"), null);
            rest.awaitState(id, LONG, "FINISHED");
            KafkaJobTest.assertOneExactForecastPerEvent(events, committedForecasts(job, events.size()));
        }
        assertEquals(taskManagers, cluster.taskManagerPids(), "the same TaskManager JVM ran all three jobs");
        assertFalse(cluster.logs().contains("UnsatisfiedLinkError"), "no native library was loaded twice");
    }

    @Test
    void secretsFromTheEnvironmentNeverShowInLogsOrTheRestApiAndBadArgumentsLeaveTheJobManagerRunning()
            throws Exception {
        Path job = jobFile("secrets");
        List<Event> events = ForecastJobTest.events(3, 20, 70);
        String id = submit(job, null);
        try {
            produceAndAwaitEveryForecast(job, events);
            for (String path : List.of(
                    "/jobs/" + id,
                    "/jobs/" + id + "/config",
                    "/jobs/" + id + "/plan",
                    "/jobs/" + id + "/jobmanager/config",
                    "/jobmanager/config",
                    "/jars")) {
                assertFalse(rest.get(path).toString().contains(SECRET), "the secret shows in " + path);
            }
        } finally {
            rest.cancelIfRunning(id);
        }

        IOException bad = assertThrows(
                IOException.class,
                () -> rest.run(
                        jarId, List.of("run", "--job", DIR.resolve("nowhere").toString()), null));
        assertTrue(bad.getMessage().contains("nowhere"), "the submitter is told what is wrong: " + bad.getMessage());
        assertTrue(rest.get("/overview").get("taskmanagers").asInt() >= 1, "the JobManager still runs and answers");

        String logs = cluster.logs();
        assertTrue(logs.contains("ssl.truststore.password=******"), "the job description is logged, masked");
        assertFalse(logs.contains(SECRET), "the secret shows in a log");
    }

    /**
     * Flink's Prometheus reporter, as docker-compose and Kubernetes run it, serves every metric the shipped Grafana
     * dashboard (deploy/grafana/dashboards) queries, under the name it queries: scraped from the cluster's JobManager
     * and TaskManager while a job runs.
     */
    @Test
    void thePrometheusReporterServesEveryMetricTheGrafanaDashboardQueries() throws Exception {
        Path job = jobFile("prometheus");
        List<Event> events = ForecastJobTest.events(5, 60, 70);
        String id = submit(job, null);
        try {
            produceAndAwaitEveryForecast(job, events);
            List<String> queried = new ArrayList<>();
            List<Pattern> queriedPatterns = new ArrayList<>();
            dashboardQueries(queried, queriedPatterns);
            assertTrue(queried.size() >= 8, "metrics the dashboard queries: " + queried);
            Set<String> served = new TreeSet<>();
            List<String> missing = List.of();
            long deadline = System.nanoTime() + LONG.toNanos();
            while (System.nanoTime() < deadline) {
                served = scrape();
                Set<String> have = served;
                missing = new ArrayList<>(
                        queried.stream().filter(n -> !have.contains(n)).toList());
                for (Pattern p : queriedPatterns) {
                    if (have.stream().noneMatch(n -> p.matcher(n).matches())) {
                        missing.add(p.pattern());
                    }
                }
                if (missing.isEmpty()) {
                    break;
                }
                Thread.sleep(2000);
            }
            assertEquals(List.of(), missing, "queried by the dashboard but not served; served: " + served);
        } finally {
            rest.cancelIfRunning(id);
        }
    }

    /** The metric names the dashboards' queries use, and the {__name__=~"..."} patterns they match names with. */
    static void dashboardQueries(List<String> names, List<Pattern> patterns) throws IOException {
        Pattern selector = Pattern.compile("__name__=~\"([^\"]+)\"");
        Pattern name = Pattern.compile("flink_[A-Za-z0-9_]+");
        try (var files = Files.list(Path.of("deploy/grafana/dashboards"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).toList()) {
                for (JsonNode expr : new com.fasterxml.jackson.databind.ObjectMapper()
                        .readTree(f.toFile())
                        .findValues("expr")) {
                    String text = expr.asText();
                    Matcher m = selector.matcher(text);
                    while (m.find()) {
                        patterns.add(Pattern.compile(m.group(1)));
                    }
                    Matcher n = name.matcher(selector.matcher(text).replaceAll(""));
                    while (n.find()) {
                        if (!names.contains(n.group())) {
                            names.add(n.group());
                        }
                    }
                }
            }
        }
    }

    /** The metric names the cluster's processes serve on their Prometheus ports now. */
    static Set<String> scrape() throws InterruptedException {
        Set<String> names = new TreeSet<>();
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        for (int port : cluster.prometheusPorts()) {
            try {
                String body = http.send(
                                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                                        .timeout(Duration.ofSeconds(10))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body();
                for (String line : body.split("\n")) {
                    if (!line.isBlank() && !line.startsWith("#")) {
                        names.add(line.split("[{ ]", 2)[0]);
                    }
                }
            } catch (IOException nothingOnThisPort) {
                // The range has room for more processes than run.
            }
        }
        return names;
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder())
                    .forEach(f -> f.toFile().delete());
        }
    }
}
