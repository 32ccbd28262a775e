package io.lstmforecast.bench;

import io.lstmforecast.config.Ordering;
import io.lstmforecast.io.KafkaClients;
import io.lstmforecast.job.ForecastJobRunner;
import io.lstmforecast.job.JobConfig;
import io.lstmforecast.local.EmbeddedKafka;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Latency mode: latency as a consumer sees it, from the event's append to the events topic (broker time) to the moment a
 * read_committed consumer, following the forecasts topic while the job runs, receives the forecast. Under exactly-once
 * that includes waiting for the checkpoint that commits the forecast's transaction. Measured after a warm-up (a burst of
 * at least 20,000 events with earlier event times, then --warmup seconds of events at the measured rate, until 99 % of
 * their forecasts are visible), so start-up and JIT compilation are excluded. A burst alone was not enough: the
 * configuration that ran first in a process measured the JIT (10k events/s: p50 491 ms first, 21 ms second,
 * docs/PERFORMANCE.md).
 */
final class LatencyRun {
    private LatencyRun() {
    }

    /** Run {@code run}'s latencies, sorted; appended to the plan's trace file when it has one. */
    static Measurement measure(EmbeddedKafka kafka, JobConfig job, BenchPlan plan, Combination c, int run) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(
                ForecastJobRunner.flinkConfiguration(job));
        ForecastJobRunner.addTo(env, job, false, c.lastValueKernel());
        JobClient client = env.executeAsync();
        Map<String, Long> visibleAt = new ConcurrentHashMap<>();
        AtomicBoolean reading = new AtomicBoolean(true);
        Thread reader = new Thread(() -> KafkaClients.follow(kafka.bootstrapServers(), Map.of(), job.kafka().topics().forecasts(),
                true, true, r -> visibleAt.put(AppendTimes.eventKey(new String(r.value(), StandardCharsets.UTF_8)),
                        System.currentTimeMillis()), reading::get), "forecast reader");
        reader.start();
        try {
            int k = c.entities();
            double rate = plan.rate();
            int events = plan.events();
            int burst = Math.max(k, 20_000);
            int paced = (int) Math.min(Integer.MAX_VALUE - burst, (long) (rate * plan.warmupSeconds()));
            int warmup = burst + paced;
            BenchEvents.send(kafka, job, BenchEvents.stream("warmup", k, BenchEvents.T0 - warmup, burst), 0);
            BenchEvents.send(kafka, job, BenchEvents.stream("warmup", k, BenchEvents.T0 - paced, paced), rate);
            // Not all: under event-time ordering the last few wait for the measured events to move the watermark. Not
            // half either: the measured events would queue behind the other half and measure the backlog.
            awaitVisible(visibleAt, warmup - warmup / 100, "warm-up");
            BenchEvents.send(kafka, job, BenchEvents.measured(k, events), rate);
            if (job.ordering() == Ordering.EVENT_TIME) {
                BenchEvents.releaseLastEvents(kafka, job, BenchEvents.T0 + events);
            }
            Map<String, Long> eventAppend = new HashMap<>();
            AppendTimes.read(kafka, job.kafka().topics().events(), warmup + events, eventAppend);
            eventAppend.keySet().removeIf(key -> key.startsWith("warmup") || key.startsWith("flush"));
            awaitVisible(visibleAt, warmup + events, "measured");
            long[] latency = eventAppend.entrySet().stream().filter(e -> visibleAt.containsKey(e.getKey()))
                    .mapToLong(e -> visibleAt.get(e.getKey()) - e.getValue()).sorted().toArray();
            if (plan.trace() != null) {
                writeTrace(plan.trace(), run, eventAppend, visibleAt);
            }
            // Events per second as delivered: from the first measured event's append to the last forecast seen.
            long first = eventAppend.values().stream().mapToLong(Long::longValue).min().orElse(0);
            long last = eventAppend.keySet().stream().filter(visibleAt::containsKey).mapToLong(visibleAt::get).max().orElse(first);
            double perSecond = latency.length * 1000.0 / Math.max(1, last - first);
            return new Measurement(perSecond, perSecond, latency);
        } finally {
            reading.set(false);
            reader.join();
            client.cancel().get();
        }
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

    /** Appends run {@code run}'s measured events, in append order, to the trace file as run,append_ms,latency_ms (header once). */
    private static void writeTrace(Path trace, int run, Map<String, Long> eventAppend, Map<String, Long> visibleAt)
            throws IOException {
        StringBuilder csv = new StringBuilder(Files.exists(trace) && Files.size(trace) > 0 ? "" : "run,append_ms,latency_ms\n");
        eventAppend.entrySet().stream().filter(e -> visibleAt.containsKey(e.getKey())).sorted(Map.Entry.comparingByValue())
                .forEach(e -> csv.append(run).append(',').append(e.getValue()).append(',')
                        .append(visibleAt.get(e.getKey()) - e.getValue()).append('\n'));
        Files.writeString(trace, csv, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
}
