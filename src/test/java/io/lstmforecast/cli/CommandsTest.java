package io.lstmforecast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.lstmforecast.local.EmbeddedKafka;
import io.lstmforecast.testing.KafkaTopics;
import io.lstmforecast.testing.SharedData;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** produce, tail and the user errors of the other commands, on a real broker. */
class CommandsTest {
    @TempDir
    Path tmp;

    @Test
    void produceReplaysACsvInTheJobsFormatAndTailPrintsIt() throws Exception {
        Path csv = tmp.resolve("readings.csv");
        Files.writeString(csv, "entity,timestamp,temperature\nm-1,2026-11-01 10:00:00,70.5\nm-2,1793527200000,71.25\n");
        try (EmbeddedKafka kafka = EmbeddedKafka.start(0)) {
            kafka.createTopics(1, "sensors.events");
            assertEquals(
                    0,
                    Main.execute(
                            "produce",
                            "--job",
                            "sensors",
                            "--csv",
                            csv.toString(),
                            "--bootstrap",
                            kafka.bootstrapServers()));
            List<ConsumerRecord<byte[], byte[]>> got =
                    KafkaTopics.readCommitted(kafka.bootstrapServers(), "sensors.events", 2, Duration.ofSeconds(20));
            assertEquals(2, got.size());
            var first = new ObjectMapper().readTree(got.get(0).value());
            assertEquals("m-1", first.get("sensor").asText());
            assertEquals("2026-11-01T10:00:00Z", first.get("ts").asText());
            assertEquals(70.5, first.get("temperature").asDouble(), 1e-6);
            assertEquals("m-1", new String(got.get(0).key(), StandardCharsets.UTF_8));

            PrintStream old = System.out;
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            try {
                assertEquals(
                        0,
                        Main.execute(
                                "tail",
                                "--bootstrap",
                                kafka.bootstrapServers(),
                                "--topic",
                                "sensors.events",
                                "--from-beginning",
                                "--max",
                                "2"));
            } finally {
                System.setOut(old);
            }
            String[] lines = out.toString(StandardCharsets.UTF_8).strip().split("\n");
            assertEquals(2, lines.length);
            assertTrue(lines[1].contains("\"m-2\""));
        }
    }

    @Test
    void topicsCreatesEveryTopicOfAJobOnceWithOnePartitionForModels() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(0)) {
            assertEquals(
                    0,
                    Main.execute(
                            "topics", "--job", "tracks", "--bootstrap", kafka.bootstrapServers(), "--partitions", "4"));
            var partitions = new java.util.TreeMap<String, Integer>();
            try (var admin = kafka.admin()) {
                // Topic metadata reaches the broker's cache shortly after creation: look until all six show (or 20 s).
                for (long end = System.nanoTime() + 20_000_000_000L;
                        partitions.size() < 6 && System.nanoTime() < end;
                        Thread.sleep(100)) {
                    admin.describeTopics(admin.listTopics().names().get())
                            .allTopicNames()
                            .get()
                            .forEach((name, d) ->
                                    partitions.put(name, d.partitions().size()));
                }
            }
            assertEquals(
                    java.util.Map.of(
                            "tracks.events",
                            4,
                            "tracks.forecasts",
                            4,
                            "tracks.events.dlq",
                            4,
                            "tracks.alerts",
                            4,
                            "tracks.models.status",
                            4,
                            "tracks.models",
                            1),
                    partitions);
            // Again: nothing to create, nothing changed.
            assertEquals(
                    0,
                    Main.execute(
                            "topics", "--job", "tracks", "--bootstrap", kafka.bootstrapServers(), "--partitions", "2"));
            try (var admin = kafka.admin()) {
                assertEquals(
                        4,
                        admin.describeTopics(List.of("tracks.events"))
                                .allTopicNames()
                                .get()
                                .get("tracks.events")
                                .partitions()
                                .size());
            }
        }
        SequenceErrorsTest.assertOneLineError(SequenceErrorsTest.run("topics", "--partitions", "0"), "--partitions");
    }

    @Test
    void badCommandLinesSayWhatIsWrong() throws Exception {
        Path csv = tmp.resolve("bad.csv");
        Files.writeString(csv, "entity,timestamp\nm-1,1\n");
        SequenceErrorsTest.assertOneLineError(
                SequenceErrorsTest.run("produce", "--job", "sensors", "--csv", csv.toString()),
                "header",
                "1 feature column");
        SequenceErrorsTest.assertOneLineError(SequenceErrorsTest.run("run", "--job", "nowhere"), "nowhere", "jobs/");
        SequenceErrorsTest.assertOneLineError(
                SequenceErrorsTest.run("run", "--job", "sensors", "--set", "delivery=maybe"),
                "delivery",
                "exactly-once");
        SequenceErrorsTest.assertOneLineError(
                SequenceErrorsTest.run("demo", "--out", "x.jsonl"), "--out needs --events");
        SequenceErrorsTest.assertOneLineError(
                SequenceErrorsTest.run(
                        "train", "--task", "sin-cos", "--out", tmp.resolve("m").toString(), "--window", "2"),
                "--window");
        SequenceErrorsTest.assertOneLineError(SequenceErrorsTest.run("evaluate", "--task", "weather"), "--task");
        SequenceErrorsTest.assertOneLineError(evaluateNab(tmp.resolve("none")), "corpus", "not a folder");
        Path corpus = Files.createDirectories(tmp.resolve("mine"));
        Files.writeString(corpus.resolve("a.csv"), "timestamp,value\n2020-01-01 00:00:00,1\n");
        SequenceErrorsTest.assertOneLineError(
                evaluateNab(corpus), "no windows for 'mine/a.csv'", "<folder name>/<file name>");
    }

    @Test
    void evaluateNabScoresAnyCorpusWithLabelsLookedUpByFolderAndFileName() throws Exception {
        Path corpus = Files.createDirectories(tmp.resolve("heldout"));
        Path data = SharedData.data().resolve("nab");
        Files.copy(data.resolve("realKnownCause/rogue_agent_key_hold.csv"), corpus.resolve("rogue_agent_key_hold.csv"));
        var json = new ObjectMapper();
        var windows = json.readTree(data.resolve("labels/combined_windows.json").toFile())
                .get("realKnownCause/rogue_agent_key_hold.csv");
        Path labels = tmp.resolve("labels.json");
        Files.writeString(labels, "{\"heldout/rogue_agent_key_hold.csv\": " + windows + "}");
        Path out = tmp.resolve("nab.json");
        var o = SequenceErrorsTest.run(
                "evaluate",
                "--task",
                "nab",
                "--epochs",
                "2",
                "--corpus",
                corpus.toString(),
                "--labels",
                labels.toString(),
                "--json",
                out.toString());
        assertEquals(0, o.code(), o.err());
        var figures = json.readTree(out.toFile());
        var file = figures.get("files").get(0);
        assertEquals("rogue_agent_key_hold.csv", file.get("file").asText());
        assertEquals(2, file.get("windows").asInt(), "both labelled windows found under heldout/");
        assertEquals(2, file.get("tp").asInt() + file.get("fn").asInt());
        for (String key : List.of("score", "score_low_fp", "score_low_fn")) {
            assertTrue(figures.get(key).asDouble() <= 100, key);
            // One file: the corpus score is the file's.
            assertEquals(figures.get(key).asDouble(), file.get(key).asDouble(), 1e-9, key);
        }
        assertTrue(
                figures.get("score_low_fp").asDouble() <= figures.get("score").asDouble(),
                "false positives cost twice as much");
    }

    private static SequenceErrorsTest.Outcome evaluateNab(Path corpus) {
        return SequenceErrorsTest.run(
                "evaluate", "--task", "nab", "--data", SharedData.data().toString(), "--corpus", corpus.toString());
    }
}
