package io.lstmforecast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The bench harness on a small topic: both kernels in one run, their ratio, and the JSON report. */
class BenchCommandTest {
    @TempDir
    Path tmp;

    /** Each configuration in a JVM of its own (the default), and all in this one. */
    @ParameterizedTest
    @ValueSource(strings = {"--fork", "--no-fork"})
    void lstmAndNoopRunTheSamePipelineAndTheJsonHasOneObjectPerConfigurationWithTheirRatio(String fork)
            throws Exception {
        Path json = tmp.resolve("bench.json");
        SequenceErrorsTest.Outcome o = SequenceErrorsTest.run(
                "bench",
                fork,
                "--kernel",
                "lstm,noop",
                "--ordering",
                "arrival",
                "--events",
                "3000",
                "--entities",
                "20",
                "--hidden",
                "8",
                "--delivery",
                "at-least-once",
                "--parallelism",
                "1",
                "--checkpoint-interval",
                "500ms",
                "--json",
                json.toString());
        assertEquals(0, o.code(), o.err());
        JsonNode rows = new ObjectMapper().readTree(json.toFile());
        assertEquals(2, rows.size(), rows.toString());
        JsonNode lstm = rows.get(0);
        JsonNode noop = rows.get(1);
        assertEquals("lstm", lstm.get("kernel").asText());
        assertEquals("noop", noop.get("kernel").asText());
        for (JsonNode r : rows) {
            assertEquals("arrival", r.get("ordering").asText());
            assertEquals("at-least-once", r.get("delivery").asText());
            assertEquals(8, r.get("hidden").asInt());
            assertEquals(20, r.get("entities").asInt());
            assertEquals("500ms", r.get("checkpoint-interval").asText());
            assertTrue(r.get("events_per_s").asDouble() > 0, r.toString());
            assertTrue(!r.has("p50_ms"), "no percentiles in throughput mode");
            // A forked run hands its checkpoints back with its figures.
            assertTrue(r.get("checkpoints").asDouble() >= 1, r.toString());
            assertTrue(r.get("state_bytes_per_entity").asLong() > 0, r.toString());
        }
        double ratio =
                lstm.get("events_per_s").asDouble() / noop.get("events_per_s").asDouble();
        assertEquals(ratio, lstm.get("lstm_to_noop").asDouble(), 0.01 * ratio + 1e-3);
        assertTrue(!noop.has("lstm_to_noop"));
    }

    /**
     * The job's checkpoints beside its throughput, from a real run on RocksDB: their count, durations and the last
     * one's size, and that size per entity, in the JSON and the table.
     */
    @Test
    void eachConfigurationReportsItsCheckpointsAndTheStateBytesPerEntity() throws Exception {
        Path json = tmp.resolve("bench.json");
        Path report = tmp.resolve("bench.md");
        int entities = 2000;
        SequenceErrorsTest.Outcome o = SequenceErrorsTest.run(
                "bench",
                "--no-fork",
                "--warmup",
                "0",
                "--state",
                "rocksdb",
                "--events",
                "6000",
                "--entities",
                String.valueOf(entities),
                "--hidden",
                "16",
                "--parallelism",
                "1",
                "--checkpoint-interval",
                "300ms",
                "--report",
                report.toString(),
                "--json",
                json.toString());
        assertEquals(0, o.code(), o.err());
        JsonNode r = new ObjectMapper().readTree(json.toFile()).get(0);
        assertTrue(r.get("checkpoints").asDouble() >= 1, r.toString());
        double median = r.get("checkpoint_ms_median").asDouble();
        assertTrue(median >= 0 && r.get("checkpoint_ms_max").asDouble() >= median, r.toString());
        long full = r.get("checkpoint_bytes_full").asLong();
        long perEntity = r.get("state_bytes_per_entity").asLong();
        assertEquals(full / (double) entities, perEntity, 1.0, r.toString());
        // An entity's state at H=16 holds h and c (128 bytes) and its forecasts, intervals and statistics: a few
        // hundred bytes; sources, sinks and RocksDB's files add a little per entity, not kilobytes.
        assertTrue(perEntity > 2 * 16 * 4 && perEntity < 4096, r.toString());
        assertTrue(r.get("checkpoint_bytes_incremental_median").asLong() > 0, r.toString());
        String table = Files.readString(report);
        assertTrue(table.contains("| state bytes/entity |"), table);
        assertTrue(table.contains(String.format(java.util.Locale.ROOT, " | %d |", perEntity)), table);
    }

    /**
     * Two rounds of both kernels: the table's medians, the JSON's runs and medians, and the ratio of the medians; --set
     * reaches every run's job.
     */
    @Test
    void repeatedRunsReportTheirMediansAndEachRunsFigures() throws Exception {
        Path json = tmp.resolve("bench.json");
        Path report = tmp.resolve("bench.md");
        SequenceErrorsTest.Outcome o = SequenceErrorsTest.run(
                "bench",
                "--no-fork",
                "--warmup",
                "0",
                "--repeat",
                "2",
                "--kernel",
                "lstm,noop",
                "--events",
                "2000",
                "--entities",
                "10",
                "--hidden",
                "8",
                "--delivery",
                "at-least-once",
                "--parallelism",
                "1",
                "--set",
                "kafka.properties.linger.ms=1",
                "--report",
                report.toString(),
                "--json",
                json.toString());
        assertEquals(0, o.code(), o.err());
        String table = Files.readString(report);
        assertEquals(4 + 2 + 2 + 2, table.lines().filter(l -> l.startsWith("|")).count(), table);
        assertTrue(table.contains("Median of 2 runs of each configuration"), table);
        assertTrue(table.contains("Each round's pair: "), table);
        JsonNode rows = new ObjectMapper().readTree(json.toFile());
        assertEquals(2, rows.size(), rows.toString());
        double[] medians = new double[2];
        for (int i = 0; i < 2; i++) {
            JsonNode r = rows.get(i);
            assertEquals(2, r.get("repeat").asInt());
            assertEquals("kafka.properties.linger.ms=1", r.get("set").get(0).asText());
            JsonNode runs = r.get("runs");
            assertEquals(2, runs.size(), r.toString());
            double a = runs.get(0).get("events_per_s").asDouble();
            double b = runs.get(1).get("events_per_s").asDouble();
            assertTrue(a > 0 && b > 0, r.toString());
            medians[i] = r.get("events_per_s").asDouble();
            assertEquals((a + b) / 2, medians[i], 1.0, "the median of two runs is their mean");
        }
        assertEquals(medians[0] / medians[1], rows.get(0).get("lstm_to_noop").asDouble(), 0.01);
    }

    @Test
    void badBenchFlagsSayWhatIsAllowed() {
        SequenceErrorsTest.assertOneLineError(
                SequenceErrorsTest.run("bench", "--kernel", "lstm,gpu"), "--kernel", "lstm, noop", "gpu");
        SequenceErrorsTest.assertOneLineError(
                SequenceErrorsTest.run("bench", "--ordering", "processing-time"), "--ordering", "arrival, event-time");
        SequenceErrorsTest.assertOneLineError(
                SequenceErrorsTest.run("bench", "--checkpoint-interval", "often"), "--checkpoint-interval", "often");
        SequenceErrorsTest.assertOneLineError(
                SequenceErrorsTest.run("bench", "--batch", "maybe"), "--batch", "on, off");
        SequenceErrorsTest.assertOneLineError(SequenceErrorsTest.run("bench", "--repeat", "0"), "--repeat", "0");
        SequenceErrorsTest.assertOneLineError(
                SequenceErrorsTest.run("bench", "--kernel", "lstm,sql", "--rate", "100"), "--kernel sql", "--rate");
        SequenceErrorsTest.assertOneLineError(
                SequenceErrorsTest.run("bench", "--no-fork", "--set", "max-batch-size=0"), "max-batch-size");
    }
}
