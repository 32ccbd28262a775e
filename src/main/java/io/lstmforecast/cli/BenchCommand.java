package io.lstmforecast.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.lstmforecast.config.Batching;
import io.lstmforecast.config.Checkpoints;
import io.lstmforecast.config.Delivery;
import io.lstmforecast.config.InvalidSettingException;
import io.lstmforecast.config.Ordering;
import io.lstmforecast.generate.GeneratedEvent;
import io.lstmforecast.io.KafkaClients;
import io.lstmforecast.job.ForecastJobRunner;
import io.lstmforecast.job.JobConfig;
import io.lstmforecast.job.JobConfigLoader;
import io.lstmforecast.local.EmbeddedKafka;
import io.lstmforecast.local.EventFeed;
import io.lstmforecast.model.CellKind;
import io.lstmforecast.model.bundle.RandomBundles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.KafkaProducer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Measures the job end to end on a real Kafka broker started in this process: events per second",
            "(a topic preloaded with N events for K entities, read to its end) or, with --rate, latency percentiles",
            "from event append time to forecast append time. Every combination of the list options is run;",
            "--kernel lstm,noop also gives each configuration's ratio of LSTM to no-op: events per second, or p50 latency."})
final class BenchCommand implements Callable<Integer> {
    @Option(names = "--kernel", split = ",", defaultValue = "lstm", description = {"lstm: the model step; noop: forecast ="
            + " last value in the same pipeline (Kafka, parsing, keyed state, batching, sinks): the pipeline's ceiling.",
            "Default: ${DEFAULT-VALUE}."})
    List<String> kernel;

    @Option(names = "--ordering", split = ",", defaultValue = "arrival", description = "arrival, event-time (job setting ordering). Default: ${DEFAULT-VALUE}.")
    List<String> ordering;

    @Option(names = "--hidden", split = ",", defaultValue = "64", description = "Hidden sizes. Default: ${DEFAULT-VALUE}.")
    List<Integer> hidden;

    @Option(names = "--entities", split = ",", defaultValue = "1000", description = "Entity counts. Default: ${DEFAULT-VALUE}.")
    List<Integer> entities;

    @Option(names = "--events", defaultValue = "200000", description = "Events per run. Default: ${DEFAULT-VALUE}.")
    int events;

    @Option(names = "--state", split = ",", defaultValue = "hashmap", description = "State backends: hashmap, rocksdb. Default: ${DEFAULT-VALUE}.")
    List<String> state;

    @Option(names = "--batch", split = ",", defaultValue = "on", description = "Cross-entity batching: on (" + Batching.DEFAULT_MAX_BATCH_SIZE + "), off (1). Default: ${DEFAULT-VALUE}.")
    List<String> batch;

    @Option(names = "--delivery", split = ",", defaultValue = "exactly-once", description = "exactly-once, at-least-once. Default: ${DEFAULT-VALUE}.")
    List<String> delivery;

    @Option(names = "--rate", defaultValue = "0", description = "0: throughput (preloaded topic); R > 0: latency at R events/s. Default: ${DEFAULT-VALUE}.")
    double rate;

    @Option(names = "--parallelism", defaultValue = "2", description = "Job parallelism. Default: ${DEFAULT-VALUE}.")
    int parallelism;

    @Option(names = "--checkpoint-interval", defaultValue = "2s", description = "Checkpoint interval (exactly-once output"
            + " becomes visible when a checkpoint completes). Default: ${DEFAULT-VALUE}.")
    String checkpointInterval;

    @Option(names = "--max-batch-delay", paramLabel = "DURATION",
            description = "Arrival ordering: most processing time a batch stays open (job setting max-batch-delay; default: the job's).")
    String maxBatchDelay;

    @Option(names = "--warmup", defaultValue = "10", paramLabel = "SECONDS", description = "Latency mode: seconds of events"
            + " at the measured rate before measuring, after a burst of at least 20,000 (each configuration starts its own"
            + " job; JIT compilation must be over before the clock starts). Default: ${DEFAULT-VALUE}.")
    int warmupSeconds;

    @Option(names = "--report", paramLabel = "FILE.md", description = "Also append the table to this Markdown file.")
    Path report;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the results as a JSON array, one object per"
            + " configuration: its settings by flag name, events_per_s, and p50_ms, p99_ms, p999_ms in latency mode.")
    Path json;

    @Option(names = "--trace", paramLabel = "FILE.csv", description = "Latency mode: also write every measured event as"
            + " run,append_ms,latency_ms (append time to the events topic, latency to its forecast), to see when the slow"
            + " ones happen.")
    Path trace;

    private static final Map<String, String> APPEND_TIME = Map.of("message.timestamp.type", "LogAppendTime");
    private final AtomicInteger runs = new AtomicInteger();

    /** One combination of the list options. */
    record Setting(String kernel, String ordering, int hidden, int entities, String state, String batch, String delivery) {
        /** The same configuration with the other kernel: the pair whose ratio is reported. */
        Setting withKernel(String k) {
            return new Setting(k, ordering, hidden, entities, state, batch, delivery);
        }
    }

    /** A run's figures; {@code latencyMs} is empty in throughput mode. */
    record Measured(double eventsPerSecond, double eventsPerSecondWithStartup, long[] latencyMs) {
    }

    @Override
    public Integer call() throws Exception {
        check("--kernel", kernel, List.of("lstm", "noop"));
        check("--ordering", ordering, Batching.ORDERING.choices());
        check("--state", state, Checkpoints.STATE_BACKEND.choices());
        check("--batch", batch, List.of("on", "off"));
        check("--delivery", delivery, Delivery.GUARANTEE.choices());
        try {
            Checkpoints.INTERVAL.parse(checkpointInterval);
        } catch (InvalidSettingException e) {
            throw new UserInputException("--checkpoint-interval " + e.problem());
        }
        if (events < 1) {
            throw new UserInputException("--events must be at least 1, not " + events);
        }
        if (warmupSeconds < 0) {
            throw new UserInputException("--warmup must be 0 or more seconds, not " + warmupSeconds);
        }
        StringBuilder table = new StringBuilder(rate > 0
                ? String.format(Locale.ROOT, "| kernel | ordering | H | entities | state | batching | delivery | rate (events/s) | p50 ms | p99 ms | p99.9 ms |%n|---|---|---|---|---|---|---|---|---|---|---|%n")
                : String.format(Locale.ROOT, "| kernel | ordering | H | entities | state | batching | delivery | events/s (steady) | events/s (incl. start-up) |%n|---|---|---|---|---|---|---|---|---|%n"));
        System.out.print(table);
        Map<Setting, Measured> results = new LinkedHashMap<>();
        try (EmbeddedKafka kafka = EmbeddedKafka.start(0)) {
            for (Setting s : settings()) {
                Measured m = run(kafka, s);
                results.put(s, m);
                String row = row(s, m);
                System.out.print(row);
                table.append(row);
            }
        }
        String ratios = ratios(results);
        System.out.print(ratios);
        table.append(ratios);
        if (report != null) {
            Files.writeString(report, table + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
        if (json != null) {
            writeJson(results, json);
        }
        return 0;
    }

    private static void check(String flag, List<String> given, List<String> allowed) {
        for (String g : given) {
            if (!allowed.contains(g)) {
                throw new UserInputException(flag + " takes " + String.join(", ", allowed) + " (comma-separated), not '" + g + "'");
            }
        }
    }

    /** Every combination, kernels innermost, so an LSTM run and its no-op run are printed one after the other. */
    private List<Setting> settings() {
        List<Setting> all = new ArrayList<>();
        for (String o : ordering) {
            for (int h : hidden) {
                for (int k : entities) {
                    for (String s : state) {
                        for (String b : batch) {
                            for (String d : delivery) {
                                for (String kern : kernel) {
                                    all.add(new Setting(kern, o, h, k, s, b, d));
                                }
                            }
                        }
                    }
                }
            }
        }
        return all;
    }

    private String row(Setting s, Measured m) {
        String label = String.format(Locale.ROOT, "| %s | %s | %d | %d | %s | %s | %s |", s.kernel(), s.ordering(), s.hidden(),
                s.entities(), s.state(), s.batch(), s.delivery());
        long[] l = m.latencyMs();
        return label + (rate > 0
                ? String.format(Locale.ROOT, " %.0f | %d | %d | %d |%n", rate, pct(l, 0.5), pct(l, 0.99), pct(l, 0.999))
                : String.format(Locale.ROOT, " %.0f | %.0f |%n", m.eventsPerSecond(), m.eventsPerSecondWithStartup()));
    }

    /**
     * LSTM over no-op of the same configuration, or null without both: throughput mode compares events/s (the share of
     * the pipeline's ceiling the model leaves), latency mode the p50 latency (both run at the offered rate).
     */
    private Double ratio(Map<Setting, Measured> results, Setting s) {
        Measured noop = results.get(s.withKernel("noop"));
        Measured lstm = results.get(s.withKernel("lstm"));
        if (!s.kernel().equals("lstm") || noop == null || lstm == null) {
            return null;
        }
        double of = rate > 0 ? pct(noop.latencyMs(), 0.5) : noop.eventsPerSecond();
        return of <= 0 ? null : (rate > 0 ? pct(lstm.latencyMs(), 0.5) : lstm.eventsPerSecond()) / of;
    }

    /** What {@link #ratio} compares, for the report. */
    private String ratioName() {
        return rate > 0 ? "p50 latency" : "events/s";
    }

    private String ratios(Map<Setting, Measured> results) {
        StringBuilder out = new StringBuilder();
        for (Setting s : results.keySet()) {
            Double r = ratio(results, s);
            if (r != null) {
                out.append(String.format(Locale.ROOT, "lstm/noop %s: %.2f (%s, H %d, %d entities, %s, batching %s, %s)%n",
                        ratioName(), r, s.ordering(), s.hidden(), s.entities(), s.state(), s.batch(), s.delivery()));
            }
        }
        return out.length() == 0 ? "" : "\n" + out;
    }

    private void writeJson(Map<Setting, Measured> results, Path file) throws java.io.IOException {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Map.Entry<Setting, Measured> e : results.entrySet()) {
            Setting s = e.getKey();
            Measured m = e.getValue();
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("kernel", s.kernel());
            row.put("ordering", s.ordering());
            row.put("hidden", s.hidden());
            row.put("entities", s.entities());
            row.put("state", s.state());
            row.put("batch", s.batch());
            row.put("delivery", s.delivery());
            row.put("events", events);
            row.put("rate", rate);
            row.put("parallelism", parallelism);
            row.put("checkpoint-interval", checkpointInterval);
            row.put("max-batch-delay", maxBatchDelay == null ? "default" : maxBatchDelay);
            row.put("events_per_s", Math.round(m.eventsPerSecond()));
            if (rate > 0) {
                row.put("p50_ms", pct(m.latencyMs(), 0.5));
                row.put("p99_ms", pct(m.latencyMs(), 0.99));
                row.put("p999_ms", pct(m.latencyMs(), 0.999));
            } else {
                row.put("events_per_s_with_startup", Math.round(m.eventsPerSecondWithStartup()));
            }
            Double r = ratio(results, s);
            if (r != null) {
                row.put(rate > 0 ? "lstm_to_noop_p50" : "lstm_to_noop", Math.round(r * 1000) / 1000.0);
            }
            rows.add(row);
        }
        Files.writeString(file, new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(rows) + "\n");
    }

    private Measured run(EmbeddedKafka kafka, Setting s) throws Exception {
        Path dir = Files.createTempDirectory("lstm-forecast-bench-");
        RandomBundles.random(CellKind.LSTM, List.of("v"), s.hidden(), 1, 1, 7).writeTo(dir.resolve("model"));
        String name = "bench" + runs.incrementAndGet();
        Files.writeString(dir.resolve("job.yaml"), String.join("\n", "name: " + name, "kafka:",
                "  bootstrap-servers: " + kafka.bootstrapServers(), "  start: earliest", "event:", "  entity-field: id",
                "  timestamp-field: t", "  timestamp-format: epoch-millis", "  features: [v]",
                "model: model", "checkpoint:", "  interval: " + checkpointInterval,
                "  storage: " + dir.resolve("checkpoints").toUri(), ""));
        List<String> overrides = new ArrayList<>(List.of("state-backend=" + s.state(),
                "max-batch-size=" + (s.batch().equals("on") ? Batching.DEFAULT_MAX_BATCH_SIZE : 1), "delivery=" + s.delivery(), "parallelism=" + parallelism,
                "ordering=" + s.ordering(), "allowed-lateness=" + (rate > 0 ? "0" : "1s"), "state-ttl=0",
                // Latency mode: watermarks every 10 ms and network buffers flushed after at most 5 ms (Flink: 200, 100).
                "flink.pipeline.auto-watermark-interval=" + (rate > 0 ? "10ms" : "200ms"),
                "flink.execution.buffer-timeout.interval=" + (rate > 0 ? "5ms" : "100ms")));
        if (maxBatchDelay != null) {
            overrides.add("max-batch-delay=" + maxBatchDelay);
        }
        JobConfig job = JobConfigLoader.load(dir.resolve("job.yaml"), overrides);
        io.lstmforecast.config.Topics t = job.kafka().topics();
        kafka.createTopics(2, APPEND_TIME, t.events(), t.forecasts());
        kafka.createTopics(2, t.deadLetters(), t.alerts(), t.modelStatus());
        kafka.createTopics(1, t.models());
        Configuration conf = ForecastJobRunner.flinkConfiguration(job);
        boolean noop = s.kernel().equals("noop");
        if (rate > 0) {
            return latency(kafka, job, conf, s.entities(), noop);
        }
        produce(kafka, job, s.entities(), 0);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        ForecastJobRunner.addTo(env, job, true, noop);
        long start = System.currentTimeMillis();
        env.execute(name);
        long wall = System.currentTimeMillis() - start;
        long[] appended = appendTimes(kafka, t.forecasts(), events, null);
        double steady = events * 1000.0 / Math.max(1, appended[appended.length - 1] - appended[0]);
        return new Measured(steady, events * 1000.0 / wall, new long[0]);
    }

    /** Events with strictly increasing times (one millisecond apart) from {@code t0}, entity prefix + i % K. */
    private Iterator<GeneratedEvent> stream(String prefix, int k, long t0, int count) {
        return new Iterator<>() {
            int i;

            @Override
            public boolean hasNext() {
                return i < count;
            }

            @Override
            public GeneratedEvent next() {
                int n = i++;
                return new GeneratedEvent(prefix + (n % k), t0 + n, new float[] {(float) Math.sin(n * 0.01)});
            }
        };
    }

    private static final long T0 = 1_700_000_000_000L;

    private void produce(EmbeddedKafka kafka, JobConfig job, int k, double perSecond) throws Exception {
        produce(kafka, job, stream("e", k, T0, events), perSecond);
    }

    private void produce(EmbeddedKafka kafka, JobConfig job, Iterator<GeneratedEvent> stream, double perSecond) throws Exception {
        try (KafkaProducer<byte[], byte[]> p = KafkaClients.producer(kafka.bootstrapServers(), Map.of())) {
            EventFeed.send(p, job.kafka().topics().events(), job.event(), stream, 0, perSecond, () -> true);
        }
    }

    /**
     * Latency as a consumer sees it: from the event's append to the events topic (broker time) to the moment a
     * read_committed consumer, following the forecasts topic while the job runs, receives the forecast. Under
     * exactly-once that includes waiting for the checkpoint that commits the forecast's transaction. Measured after a
     * warm-up (a burst of at least 20,000 events with earlier event times, then --warmup seconds of events at the
     * measured rate, until 99 % of their forecasts are visible), so start-up and JIT compilation are excluded. A burst
     * alone was not enough: the configuration that ran first in a process measured the JIT (10k events/s: p50 491 ms
     * first, 21 ms second, docs/PERFORMANCE.md).
     */
    private Measured latency(EmbeddedKafka kafka, JobConfig job, Configuration conf, int k, boolean noop) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        ForecastJobRunner.addTo(env, job, false, noop);
        JobClient client = env.executeAsync();
        Map<String, Long> visibleAt = new ConcurrentHashMap<>();
        AtomicBoolean reading = new AtomicBoolean(true);
        Thread reader = new Thread(() -> KafkaClients.follow(kafka.bootstrapServers(), Map.of(), job.kafka().topics().forecasts(),
                true, true, r -> visibleAt.put(eventKey(new String(r.value(), StandardCharsets.UTF_8)), System.currentTimeMillis()),
                reading::get), "forecast reader");
        reader.start();
        try {
            int burst = Math.max(k, 20_000);
            int paced = (int) Math.min(Integer.MAX_VALUE - burst, (long) (rate * warmupSeconds));
            int warmup = burst + paced;
            produce(kafka, job, stream("warmup", k, T0 - warmup, burst), 0);
            produce(kafka, job, stream("warmup", k, T0 - paced, paced), rate);
            // Not all: under event-time ordering the last few wait for the measured events to move the watermark. Not
            // half either: the measured events would queue behind the other half and measure the backlog.
            awaitVisible(visibleAt, warmup - warmup / 100, "warm-up");
            produce(kafka, job, k, rate);
            if (job.ordering() == Ordering.EVENT_TIME) {
                releaseLastEvents(kafka, job, T0 + events);
            }
            Map<String, Long> eventAppend = new HashMap<>();
            appendTimes(kafka, job.kafka().topics().events(), warmup + events, eventAppend);
            eventAppend.keySet().removeIf(key -> key.startsWith("warmup") || key.startsWith("flush"));
            awaitVisible(visibleAt, warmup + events, "measured");
            long[] latency = eventAppend.entrySet().stream().filter(e -> visibleAt.containsKey(e.getKey()))
                    .mapToLong(e -> visibleAt.get(e.getKey()) - e.getValue()).sorted().toArray();
            if (trace != null) {
                writeTrace(eventAppend, visibleAt);
            }
            // Events per second as delivered: from the first measured event's append to the last forecast seen.
            long first = eventAppend.values().stream().mapToLong(Long::longValue).min().orElse(0);
            long last = eventAppend.keySet().stream().filter(visibleAt::containsKey).mapToLong(visibleAt::get).max().orElse(first);
            double perSecond = latency.length * 1000.0 / Math.max(1, last - first);
            return new Measured(perSecond, perSecond, latency);
        } finally {
            reading.set(false);
            reader.join();
            client.cancel().get();
        }
    }

    /**
     * Event-time ordering: two later events per partition move the watermark past the last real ones (one alone is
     * held back by the max-event-time-jump guard until a second confirms it). Two hours after {@code end}, the last
     * measured event time: a fixed far-future time would fall beyond event.max-future-skew and be dead-lettered.
     */
    private static void releaseLastEvents(EmbeddedKafka kafka, JobConfig job, long end) {
        try (KafkaProducer<byte[], byte[]> p = KafkaClients.producer(kafka.bootstrapServers(), Map.of())) {
            for (int part = 0; part < 2; part++) {
                for (int i = 0; i < 2; i++) {
                    byte[] v = String.format(Locale.ROOT, "{\"id\":\"flush\",\"t\":%d,\"v\":0}", end + 7_200_000L + 10 * part + i)
                            .getBytes(StandardCharsets.UTF_8);
                    p.send(new org.apache.kafka.clients.producer.ProducerRecord<>(job.kafka().topics().events(), part, null, v));
                }
            }
        }
    }

    /** Appends this run's measured events, in append order, to the --trace file (header once). */
    private void writeTrace(Map<String, Long> eventAppend, Map<String, Long> visibleAt) throws java.io.IOException {
        StringBuilder csv = new StringBuilder(Files.exists(trace) && Files.size(trace) > 0 ? "" : "run,append_ms,latency_ms\n");
        int run = runs.get();
        eventAppend.entrySet().stream().filter(e -> visibleAt.containsKey(e.getKey())).sorted(Map.Entry.comparingByValue())
                .forEach(e -> csv.append(run).append(',').append(e.getValue()).append(',')
                        .append(visibleAt.get(e.getKey()) - e.getValue()).append('\n'));
        Files.writeString(trace, csv, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private static void awaitVisible(Map<String, Long> visible, int count, String what) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 600_000;
        while (visible.size() < count) {
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException(what + " forecasts: " + visible.size() + " of " + count + " visible after 10 minutes");
            }
            Thread.sleep(20);
        }
    }

    private static long pct(long[] sorted, double q) {
        return sorted.length == 0 ? -1 : sorted[Math.min(sorted.length - 1, (int) Math.floor(q * sorted.length))];
    }

    /**
     * Reads {@code count} records (all committed), returns their append times sorted, and when
     * {@code byEvent} is given records them by "entity@time" (both topics are JSON with id/t or entity/event_time).
     */
    private static long[] appendTimes(EmbeddedKafka kafka, String topic, int count, Map<String, Long> byEvent) {
        List<Long> times = new ArrayList<>();
        long deadline = System.currentTimeMillis() + 600_000;
        KafkaClients.follow(kafka.bootstrapServers(), Map.of(), topic, true, true, r -> {
            times.add(r.timestamp());
            if (byEvent != null) {
                byEvent.put(eventKey(new String(r.value(), StandardCharsets.UTF_8)), r.timestamp());
            }
        }, () -> times.size() < count && System.currentTimeMillis() < deadline);
        long[] sorted = times.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(sorted);
        return sorted;
    }

    /** "entity@time" from an event ({"id","t"}) or a forecast ({"entity","event_time"}). */
    private static String eventKey(String json) {
        try {
            var node = io.lstmforecast.io.OutputJson.parseTree(json);
            return node.has("id") ? node.get("id").asText() + "@" + node.get("t").asLong()
                    : node.get("entity").asText() + "@" + node.get("event_time").asLong();
        } catch (Exception e) {
            return json;
        }
    }
}
