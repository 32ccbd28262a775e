package io.lstmforecast.bench;

import io.lstmforecast.config.Ordering;
import io.lstmforecast.io.KafkaClients;
import io.lstmforecast.job.ForecastJobRunner;
import io.lstmforecast.job.JobConfig;
import io.lstmforecast.local.EmbeddedKafka;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Latency mode: latency as a consumer sees it, from the event's append to the events topic (broker time) to the moment a
 * read_committed consumer, following the forecasts topic while the job runs, receives the forecast. Under exactly-once
 * that includes waiting for the checkpoint that commits the forecast's transaction. Measured after a warm-up (a burst of
 * at least 20,000 events with earlier event times, then --warmup seconds of events at the measured rate, until 99 % of
 * their forecasts are visible), so start-up and JIT compilation are excluded: without the timed part, the configuration
 * that runs first in a process measures the JIT rather than the job (docs/PERFORMANCE.md).
 */
final class LatencyRun {
    private LatencyRun() {}

    /** Run {@code run}'s latencies, sorted; appended to the plan's trace file when it has one. */
    static Measurement measure(EmbeddedKafka kafka, JobConfig job, BenchPlan plan, Combination c, int run)
            throws Exception {
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(ForecastJobRunner.flinkConfiguration(job));
        ForecastJobRunner.addTo(env, job, false, c.lastValueKernel());
        JobClient client = env.executeAsync();
        int k = c.entities();
        double rate = plan.rate();
        int events = plan.events();
        // Per measured event n: its append, the forecast's append (broker clock; the trace separates the job's part
        // from the consumer's) and when the consumer saw the forecast. Arrays, not maps: the harness shares the
        // measured JVM, and a map entry per event would survive every young collection and lengthen its pause
        // (docs/PERFORMANCE.md).
        long[] eventAppend = new long[events];
        long[] forecastAppend = new long[events];
        long[] visibleAt = new long[events];
        // Written by the reader after the arrays, read before them: the happens-before edge for the arrays.
        AtomicInteger visible = new AtomicInteger();
        AtomicBoolean reading = new AtomicBoolean(true);
        Thread reader = new Thread(
                () -> KafkaClients.follow(
                        kafka.bootstrapServers(),
                        Map.of(),
                        job.kafka().topics().forecasts(),
                        true,
                        true,
                        r -> {
                            int n = AppendTimes.measuredIndex(r.value(), events);
                            if (n >= 0) {
                                forecastAppend[n] = r.timestamp();
                                visibleAt[n] = System.currentTimeMillis();
                            }
                            visible.incrementAndGet();
                        },
                        reading::get),
                "forecast reader");
        reader.start();
        try {
            int burst = Math.max(k, 20_000);
            int paced = (int) Math.min(Integer.MAX_VALUE - burst, (long) (rate * plan.warmupSeconds()));
            int warmup = burst + paced;
            BenchEvents.send(kafka, job, BenchEvents.stream("warmup", k, BenchEvents.T0 - warmup, burst), 0);
            BenchEvents.send(kafka, job, BenchEvents.stream("warmup", k, BenchEvents.T0 - paced, paced), rate);
            // Not all: under event-time ordering the last few wait for the measured events to move the watermark. Not
            // half either: the measured events would queue behind the other half and measure the backlog.
            awaitVisible(visible, warmup - warmup / 100, "warm-up");
            BenchEvents.send(kafka, job, BenchEvents.measured(k, events), rate);
            if (job.batching().ordering() == Ordering.EVENT_TIME) {
                BenchEvents.releaseLastEvents(kafka, job, BenchEvents.T0 + events);
            }
            AppendTimes.read(kafka, job.kafka().topics().events(), warmup + events, eventAppend);
            awaitVisible(visible, warmup + events, "measured");
            // Every event and forecast is in (read, awaitVisible); one missing must not count as a latency.
            int[] seen = IntStream.range(0, events)
                    .filter(n -> eventAppend[n] > 0 && visibleAt[n] > 0)
                    .toArray();
            long[] latency = Arrays.stream(seen)
                    .mapToLong(n -> visibleAt[n] - eventAppend[n])
                    .sorted()
                    .toArray();
            long first =
                    Arrays.stream(seen).mapToLong(n -> eventAppend[n]).min().orElse(0);
            long last = Arrays.stream(seen).mapToLong(n -> visibleAt[n]).max().orElse(first);
            if (plan.trace() != null) {
                writeTrace(plan.trace(), run, seen, eventAppend, visibleAt, forecastAppend);
            }
            // Events per second as delivered: from the first measured event's append to the last forecast seen.
            double perSecond = latency.length * 1000.0 / Math.max(1, last - first);
            return new Measurement(perSecond, perSecond, latency, CheckpointReporter.completed(job));
        } finally {
            reading.set(false);
            reader.join();
            client.cancel().get();
        }
    }

    private static void awaitVisible(AtomicInteger visible, int count, String what) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 600_000;
        while (visible.get() < count) {
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException(
                        what + " forecasts: " + visible.get() + " of " + count + " visible after 10 minutes");
            }
            Thread.sleep(20);
        }
    }

    /**
     * Appends run {@code run}'s measured events ({@code seen}), in append order, to the trace file as
     * run,append_ms,latency_ms,job_ms (header once). job_ms ends at the forecast's append to the forecasts topic, so
     * latency_ms - job_ms is the consumer's own delay.
     */
    private static void writeTrace(
            Path trace, int run, int[] seen, long[] eventAppend, long[] visibleAt, long[] forecastAppend)
            throws IOException {
        StringBuilder csv = new StringBuilder(
                Files.exists(trace) && Files.size(trace) > 0 ? "" : "run,append_ms,latency_ms,job_ms\n");
        Arrays.stream(seen)
                .boxed()
                .sorted(Comparator.comparingLong(n -> eventAppend[n]))
                .forEach(n -> csv.append(run)
                        .append(',')
                        .append(eventAppend[n])
                        .append(',')
                        .append(visibleAt[n] - eventAppend[n])
                        .append(',')
                        .append(forecastAppend[n] - eventAppend[n])
                        .append('\n'));
        Files.writeString(trace, csv, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
}
