package io.lstmforecast.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.lstmforecast.cli.Main;
import io.lstmforecast.cluster.FlinkRest;
import io.lstmforecast.cluster.StandaloneCluster;
import io.lstmforecast.event.Forecast;
import io.lstmforecast.io.OutputJson;
import io.lstmforecast.testing.KafkaTopics;
import io.lstmforecast.testing.KafkaTopics.Message;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * LSTM_FORECAST on the real standalone cluster and broker of scripts/flink-cluster and scripts/kafka-broker, submitted
 * with Flink's own SQL Client exactly as docs/sql.md ("On a cluster") runs it: the sensors job's topics and generated
 * events from the jar's commands, then {@code scripts/flink-cluster sql-client -f jobs/sensors/forecast-cluster.sql},
 * which registers the function with SQL alone (ADD JAR of the cluster jar). The shipped script runs as it is, but for
 * the broker's address (the test's broker has a port of its own). Its output topic must hold one row per input row,
 * an {@code error} row for a bad one, and every other row equal within 1e-5 to the DataStream job's forecast of the same
 * event, run on the same cluster from the same topic (the combination's weights and the model's own forecast included:
 * one partition and parallelism 1 give both the same order of rows, which the job-wide prior depends on).
 */
class SqlOnClusterIT {
    static final Duration LONG = Duration.ofMinutes(3);
    static final Path DIR = Path.of("target", "sql-cluster-it").toAbsolutePath();
    static final int EVENTS = 1000;

    static StandaloneCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        org.apache.flink.util.FileUtils.deleteDirectory(DIR.toFile());
        cluster = new StandaloneCluster(DIR.resolve("standalone"), Map.of());
        cluster.startKafka();
        cluster.startFlink();
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void flinksSqlClientRunsTheShippedScriptOnTheClusterAndItsRowsAreTheJobsForecasts() throws Exception {
        String bootstrap = cluster.bootstrapServers();
        // The docs' commands, with the broker's address.
        assertEquals(0, Main.execute("topics", "--job", "sensors", "--partitions", "1", "--bootstrap", bootstrap));
        assertEquals(
                0,
                Main.execute(
                        "produce",
                        "--job",
                        "sensors",
                        "--generator",
                        "--events",
                        "" + EVENTS,
                        "--bootstrap",
                        bootstrap));
        // A bad row: a new sensor with no temperature, at the last event's time (not behind the watermark).
        List<ConsumerRecord<byte[], byte[]>> events = KafkaTopics.readCommittedToEnd(bootstrap, "sensors.events");
        assertEquals(EVENTS, events.size());
        String lastTime = LstmForecastSqlTest.JSON
                .readTree(events.get(EVENTS - 1).value())
                .get("ts")
                .asText();
        String bad = "{\"sensor\":\"machine-bad\",\"ts\":\"" + lastTime + "\",\"temperature\":null}";
        KafkaTopics.produce(
                bootstrap,
                "sensors.events",
                List.of(new Message(
                        "machine-bad".getBytes(StandardCharsets.UTF_8), bad.getBytes(StandardCharsets.UTF_8))));

        String shipped = Files.readString(Path.of("jobs/sensors/forecast-cluster.sql"));
        assertTrue(shipped.contains("'127.0.0.1:9092'"), "the shipped script names the default broker");
        Path script = DIR.resolve("forecast-cluster.sql");
        Files.writeString(script, shipped.replace("'127.0.0.1:9092'", "'" + bootstrap + "'"));
        long t0 = System.nanoTime();
        cluster.sqlClient("-f", script.toString());
        System.out.printf("SQL Client: script run, its query finished, in %.1f s%n", (System.nanoTime() - t0) / 1e9);

        FlinkRest rest = new FlinkRest(cluster.restAddress());
        String jar = rest.uploadJar(Path.of(System.getProperty("job.jar", "target/lstm-forecast-cluster.jar")));
        String job = rest.run(
                jar,
                List.of(
                        "run",
                        "--job",
                        Path.of("jobs/sensors").toAbsolutePath().toString(),
                        "--bootstrap",
                        bootstrap,
                        "--bounded",
                        "--set",
                        "checkpoint.storage=" + DIR.resolve("checkpoints").toUri()),
                null);
        rest.awaitState(job, LONG, "FINISHED");
        Map<String, Forecast> expected = new HashMap<>();
        for (var r : KafkaTopics.readCommitted(bootstrap, "sensors.forecasts", EVENTS, LONG)) {
            Forecast f = OutputJson.parseForecast(r.value());
            expected.put(f.entityId() + "@" + f.eventTime(), f);
        }
        assertEquals(EVENTS, expected.size(), "the job forecast every good event");

        List<JsonNode> rows = new ArrayList<>();
        for (var r : KafkaTopics.readCommitted(bootstrap, "sensors.sql-forecasts", EVENTS + 1, LONG)) {
            rows.add(LstmForecastSqlTest.JSON.readTree(r.value()));
        }
        assertEquals(EVENTS + 1, rows.size(), "one row per input row");
        int errors = 0;
        int intervals = 0;
        for (JsonNode row : rows) {
            String key = row.get("sensor").asText() + "@"
                    + LstmForecastSqlTest.epochMillis(row.get("rowtime").asText());
            if (!row.get("error").isNull()) {
                errors++;
                assertTrue(key.startsWith("machine-bad@"), "only the bad row has an error: " + row);
                assertTrue(
                        row.get("error").asText().startsWith("missing_field: feature temperature is null"),
                        row.toString());
                continue;
            }
            Forecast f = expected.get(key);
            assertNotNull(f, "the job forecast " + key);
            assertNotNull(f.weight(), "the job served the online combination at " + key);
            LstmForecastSqlTest.assertSame(f, row);
            intervals += row.get("lower_bound").isNull() ? 0 : 1;
        }
        assertEquals(1, errors, "an error row for the bad row");
        assertTrue(intervals > EVENTS / 2, "intervals once learnt: " + intervals);
    }
}
