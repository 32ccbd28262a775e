package io.lstmforecast.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.lstmforecast.event.Event;
import io.lstmforecast.event.Forecast;
import io.lstmforecast.model.CellKind;
import io.lstmforecast.model.bundle.RandomBundles;
import io.lstmforecast.testing.HostileInputs;
import io.lstmforecast.testing.KafkaTopics;
import io.lstmforecast.testing.KafkaTopics.Message;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The chaos soak: the job jar on the real standalone cluster and broker of {@link JobOnClusterIT}, exactly-once,
 * under a steady load of events while a seeded schedule kills a TaskManager, restarts the broker, swaps the model
 * and stops the job with a savepoint and restarts it, at random moments. At the end every event produced has exactly
 * one forecast in the read_committed output, and each entity's forecasts come in the order of its events (none lost,
 * none twice); each entity's model version never goes back; every model swap was accepted.
 *
 * <p>Short by default (2.5 minutes, 4 faults: each kind once, in a random order), as part of the cluster profile.
 * The long run: {@code mvn -B verify -Pcluster -DskipUnitTests -Dit.test=ChaosSoakIT -Dchaos.minutes=12
 * -Dchaos.faults=12} (and {@code -Dchaos.seed=N} for another schedule). Figures: docs/operations.md.
 */
class ChaosSoakIT {
    enum Fault {
        KILL_TASKMANAGER,
        RESTART_BROKER,
        SWAP_MODEL,
        SAVEPOINT_RESTART;

        String id() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    static final long SEED = Long.getLong("chaos.seed", 29);
    static final double MINUTES = Double.parseDouble(System.getProperty("chaos.minutes", "2.5"));
    static final int FAULTS = Integer.getInteger("chaos.faults", 4);
    static final int ENTITIES = 20;
    /** Rounds (one event per entity) per second: 200 events/s. */
    static final int ROUNDS_PER_SECOND = 10;

    @BeforeAll
    static void start() throws Exception {
        JobOnClusterIT.start();
    }

    @AfterAll
    static void stop() {
        JobOnClusterIT.stop();
    }

    @Test
    void exactlyOnceHoldsWhileFaultsComeAtRandomMoments() throws Exception {
        Path job = JobOnClusterIT.jobFile("chaos");
        JobConfig config = JobOnClusterIT.config(job);
        Random random = new Random(SEED);
        List<Fault> schedule = schedule(random);
        long started = System.nanoTime();
        String id = JobOnClusterIT.submit(job, null);
        Load load = new Load(config.kafka().topics().events());
        Thread producer = new Thread(load, "chaos-load");
        producer.start();
        Map<Fault, Integer> survived = new EnumMap<>(Fault.class);
        int version = 1;
        try {
            long[] moments = moments(random, schedule.size());
            for (int i = 0; i < schedule.size(); i++) {
                Fault fault = schedule.get(i);
                // A fault that took longer than the gap to the next moment is followed at once.
                Thread.sleep(Math.max(0, moments[i] - (System.nanoTime() - started) / 1_000_000));
                long t = System.nanoTime();
                switch (fault) {
                    case KILL_TASKMANAGER -> {
                        JobOnClusterIT.cluster.killTaskManager();
                        startTaskManager();
                    }
                    case RESTART_BROKER -> {
                        JobOnClusterIT.cluster.stopKafka();
                        Thread.sleep(2000 + random.nextInt(4000));
                        JobOnClusterIT.cluster.startKafka();
                    }
                    case SWAP_MODEL -> {
                        version++;
                        var bundle = ModelSwapTest.withVersion(
                                RandomBundles.random(CellKind.LSTM, ForecastJobTest.FEATURES, 16, 2, 3, 100 + version),
                                ForecastJobTest.bundle,
                                String.valueOf(version),
                                null);
                        KafkaTopics.produce(
                                JobOnClusterIT.cluster.bootstrapServers(),
                                config.kafka().topics().models(),
                                List.of(new Message(
                                        null,
                                        HostileInputs.message(String.valueOf(version), HostileInputs.zip(bundle)))));
                    }
                    case SAVEPOINT_RESTART -> {
                        id = JobOnClusterIT.submit(job, stopWithSavepoint(id));
                    }
                }
                survived.merge(fault, 1, Integer::sum);
                System.out.printf(
                        Locale.ROOT,
                        "chaos: %s at %.0f s took %.1f s (%d events produced)%n",
                        fault.id(),
                        (t - started) / 1e9,
                        (System.nanoTime() - t) / 1e9,
                        load.produced());
            }
            long remaining = (long) (MINUTES * 60_000) - (System.nanoTime() - started) / 1_000_000;
            Thread.sleep(Math.max(remaining, 5_000));
            load.stop();
            producer.join();
            assertNull(load.failure, "every event was produced");
            List<Event> events = load.events;
            JobOnClusterIT.flush(job, events);
            List<Forecast> out = JobOnClusterIT.committedForecasts(job, events.size());
            double seconds = (System.nanoTime() - started) / 1e9;

            Check check = check(events, out);
            List<String> duplicatedInputs = duplicatedInputs(config, events.size());
            List<ConsumerRecord<byte[], byte[]>> dead = KafkaTopics.readCommitted(
                    JobOnClusterIT.cluster.bootstrapServers(),
                    config.kafka().topics().deadLetters(),
                    duplicatedInputs.size(),
                    Duration.ofSeconds(10));
            List<JsonNode> statuses = new ArrayList<>();
            for (var r : KafkaTopics.readCommitted(
                    JobOnClusterIT.cluster.bootstrapServers(),
                    config.kafka().topics().modelStatus(),
                    version - 1,
                    Duration.ofSeconds(30))) {
                statuses.add(KafkaJobTest.JSON.readTree(r.value()));
            }
            System.out.printf(
                    Locale.ROOT,
                    "chaos soak (seed %d): %.0f s, %d faults survived %s, %d events checked, lost %d, duplicated %d,"
                            + " out of order %d; %d inputs the producer wrote twice, %d dead letters%n",
                    SEED,
                    seconds,
                    survived.values().stream().mapToInt(Integer::intValue).sum(),
                    describe(survived),
                    events.size(),
                    check.lost,
                    check.duplicated,
                    check.outOfOrder,
                    duplicatedInputs.size(),
                    dead.size());
            writeFigures(seconds, survived, events.size(), check, duplicatedInputs.size(), dead.size());

            assertEquals(0, check.lost, "events without a forecast");
            assertEquals(0, check.duplicated, "events with more than one forecast");
            assertEquals(0, check.outOfOrder, "forecasts out of their entity's order");
            assertEquals(0, check.versionWentBack, "an entity's model version went back");
            // A send the producer retried after a lost acknowledgement is in the input twice: its second copy, and
            // nothing else, is a dead letter (duplicate).
            assertEquals(duplicatedInputs.size(), dead.size(), "dead letters are the inputs written twice");
            for (var d : dead) {
                assertEquals(
                        "duplicate",
                        KafkaJobTest.JSON.readTree(d.value()).get("reason").asText());
            }
            assertEquals(version - 1, statuses.size(), "a status per model swap");
            assertTrue(
                    statuses.stream().allMatch(s -> s.get("status").asText().equals("accepted")), statuses::toString);
            if (FAULTS >= Fault.values().length) {
                assertEquals(Fault.values().length, survived.size(), "every kind of fault came: " + survived);
            }
            assertEquals("RUNNING", JobOnClusterIT.rest.state(id));
        } finally {
            load.stop();
            producer.join();
            JobOnClusterIT.rest.cancelIfRunning(id);
        }
    }

    /**
     * Starts the replacement TaskManager. On a loaded machine a TaskManager JVM can fail to start (its actor system
     * not up within Flink's 10 s): that is the test bed, not the job, so it is tried again, up to three times.
     */
    static void startTaskManager() {
        for (int attempt = 1; ; attempt++) {
            try {
                JobOnClusterIT.cluster.startTaskManager();
                return;
            } catch (IllegalStateException e) {
                if (attempt == 3) {
                    throw e;
                }
                System.out.println("chaos: a TaskManager did not start (" + e.getMessage() + "); trying again");
            }
        }
    }

    /**
     * Stops the job with a savepoint once every task runs (it may still be recovering from the last fault); a stop
     * whose savepoint fails leaves the job running, so it is tried again, up to three times.
     */
    static String stopWithSavepoint(String id) throws Exception {
        for (int attempt = 1; ; attempt++) {
            JobOnClusterIT.rest.awaitAllTasksRunning(id, JobOnClusterIT.LONG);
            try {
                String savepoint = JobOnClusterIT.rest.stopWithSavepoint(id, JobOnClusterIT.LONG);
                JobOnClusterIT.rest.awaitState(id, JobOnClusterIT.LONG, "FINISHED");
                return savepoint;
            } catch (AssertionError e) {
                if (attempt == 3) {
                    throw e;
                }
                System.out.println("chaos: stop with savepoint failed (" + e.getMessage() + "); trying again");
            }
        }
    }

    /**
     * The faults' moments, in ms after the start: uniform over the first 70 % of the run, sorted, so the last
     * fault's recovery falls within the run.
     */
    static long[] moments(Random random, int faults) {
        long[] at = new long[faults];
        for (int i = 0; i < faults; i++) {
            at[i] = (long) (MINUTES * 60_000 * (0.05 + 0.65 * random.nextDouble()));
        }
        java.util.Arrays.sort(at);
        return at;
    }

    /** Every kind once in a random order (when there are faults enough), then kinds at random. */
    static List<Fault> schedule(Random random) {
        List<Fault> kinds = new ArrayList<>(List.of(Fault.values()));
        Collections.shuffle(kinds, random);
        List<Fault> out = new ArrayList<>();
        for (int i = 0; i < FAULTS; i++) {
            out.add(i < kinds.size() ? kinds.get(i) : kinds.get(random.nextInt(kinds.size())));
        }
        return out;
    }

    record Check(int lost, int duplicated, int outOfOrder, int versionWentBack) {}

    /**
     * Compares each entity's forecasts, in the order read (one entity's are in one partition), with its events: the
     * event times must be the same list.
     */
    static Check check(List<Event> events, List<Forecast> out) {
        Map<String, List<Long>> expected = new LinkedHashMap<>();
        events.forEach(e ->
                expected.computeIfAbsent(e.entityId(), k -> new ArrayList<>()).add(e.timestamp()));
        Map<String, List<Long>> got = new HashMap<>();
        Map<String, Integer> lastVersion = new HashMap<>();
        int versionWentBack = 0;
        for (Forecast f : out) {
            got.computeIfAbsent(f.entityId(), k -> new ArrayList<>()).add(f.eventTime());
            int v = Integer.parseInt(f.modelVersion());
            Integer before = lastVersion.put(f.entityId(), v);
            if (before != null && v < before) {
                versionWentBack++;
            }
        }
        int lost = 0;
        int outOfOrder = 0;
        for (Map.Entry<String, List<Long>> e : expected.entrySet()) {
            List<Long> times = got.getOrDefault(e.getKey(), List.of());
            java.util.Set<Long> forecast = new java.util.HashSet<>(times);
            lost += (int)
                    e.getValue().stream().filter(t -> !forecast.contains(t)).count();
            for (int i = 1; i < times.size(); i++) {
                outOfOrder += times.get(i) <= times.get(i - 1) ? 1 : 0;
            }
        }
        // Every forecast beyond one per event produced is a duplicate (of an event, or of nothing ever produced).
        int duplicated = out.size() - (events.size() - lost);
        return new Check(lost, duplicated, outOfOrder, versionWentBack);
    }

    /** The events topic's records whose entity and time came before: retried sends the broker had already written. */
    static List<String> duplicatedInputs(JobConfig config, int produced) {
        Map<String, Integer> seen = new HashMap<>();
        List<String> twice = new ArrayList<>();
        for (var r : KafkaTopics.readCommitted(
                JobOnClusterIT.cluster.bootstrapServers(),
                config.kafka().topics().events(),
                produced,
                Duration.ofSeconds(60))) {
            String v = new String(r.value(), java.nio.charset.StandardCharsets.UTF_8);
            if (v.contains("\"flush-")) {
                continue;
            }
            String key = v.substring(0, v.indexOf(",\"x\""));
            if (seen.merge(key, 1, Integer::sum) > 1) {
                twice.add(key);
            }
        }
        return twice;
    }

    static String describe(Map<Fault, Integer> survived) {
        List<String> parts = new ArrayList<>();
        survived.forEach((f, n) -> parts.add(f.id() + " " + n));
        return "(" + String.join(", ", parts) + ")";
    }

    private static void writeFigures(
            double seconds, Map<Fault, Integer> survived, int events, Check check, int inputTwice, int dead)
            throws Exception {
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("seed", SEED);
        figures.put("seconds", Math.round(seconds));
        Map<String, Integer> faults = new LinkedHashMap<>();
        survived.forEach((f, n) -> faults.put(f.id(), n));
        figures.put("faults", faults);
        figures.put("events_checked", events);
        figures.put("lost", check.lost);
        figures.put("duplicated", check.duplicated);
        figures.put("out_of_order", check.outOfOrder);
        figures.put("inputs_written_twice", inputTwice);
        figures.put("dead_letters", dead);
        Path file = JobOnClusterIT.DIR.resolve("chaos-soak.json");
        Files.createDirectories(file.getParent());
        Files.writeString(
                file, KafkaJobTest.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(figures) + "\n");
    }

    /**
     * The steady load: a round of one event per entity every 100 ms, event times one second apart, through one
     * producer that waits out a broker restart (its sends block and retry for up to five minutes).
     */
    static final class Load implements Runnable {
        private final String topic;
        private final AtomicBoolean running = new AtomicBoolean(true);
        final List<Event> events = Collections.synchronizedList(new ArrayList<>());
        volatile Exception failure;

        Load(String topic) {
            this.topic = topic;
        }

        int produced() {
            return events.size();
        }

        void stop() {
            running.set(false);
        }

        @Override
        public void run() {
            Map<String, Object> props = Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, JobOnClusterIT.cluster.bootstrapServers(),
                    ProducerConfig.ACKS_CONFIG, "all",
                    // As KafkaTopics: not idempotent (a restarted broker may hand out a used producer id), one
                    // request in flight so that retries keep the order.
                    ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false,
                    ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1,
                    ProducerConfig.MAX_BLOCK_MS_CONFIG, 300_000,
                    ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 300_000,
                    ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 30_000,
                    ProducerConfig.LINGER_MS_CONFIG, 5);
            Random rnd = new Random(SEED);
            long t0 = 1_700_000_000_000L;
            long next = System.nanoTime();
            try (KafkaProducer<byte[], byte[]> p =
                    new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
                for (int round = 0; running.get(); round++) {
                    List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
                    for (int e = 0; e < ENTITIES; e++) {
                        Event event = new Event(
                                "entity-" + e,
                                t0 + round * 1000L + e,
                                new float[] {
                                    (float) (10 + Math.sin(round / 5.0 + e) + rnd.nextGaussian() * 0.1),
                                    (float) (20 + rnd.nextGaussian())
                                },
                                null);
                        Message m = KafkaJobTest.json(event);
                        sent.add(p.send(new ProducerRecord<>(topic, m.key(), m.value())));
                        events.add(event);
                    }
                    for (var f : sent) {
                        f.get(); // a failed send fails the soak instead of losing an input silently
                    }
                    next += 1_000_000_000L / ROUNDS_PER_SECOND;
                    long wait = next - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    } else {
                        next = System.nanoTime(); // after a broker restart: resume the pace, do not catch up in a burst
                    }
                }
            } catch (Exception e) {
                failure = e;
            }
        }
    }
}
