package io.lstmforecast.bench;

import io.lstmforecast.job.JobConfig;
import io.lstmforecast.local.EmbeddedKafka;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The benchmark behind {@code bench}: every combination of a plan runs the whole job on a Kafka broker started in its
 * process, each with its own job and topics; the table is printed row by row as the runs end, then, with --repeat, the
 * medians, then the ratios. Repeated runs go round by round: every configuration once, then every one again.
 */
public final class BenchHarness {
    private BenchHarness() {}

    /**
     * Runs the plan, printing the table to {@code out} and writing the plan's report and JSON files. With a
     * {@code fork} command line and more than one configuration, each configuration runs in a JVM of its own (see
     * {@link ForkedRun}); otherwise all run here, on one broker, after a warm-up of them all.
     */
    public static void run(BenchPlan plan, List<String> fork, PrintStream out) throws Exception {
        StringBuilder table = new StringBuilder(BenchTable.header(plan));
        out.print(table);
        Map<Combination, List<Measurement>> measured = new LinkedHashMap<>();
        List<Combination> all = Combination.all(plan);
        boolean forked = fork != null && all.size() * plan.repeat() > 1;
        // Forked, each run starts its own broker in its own JVM, and this process needs none (a null resource is
        // not closed).
        try (EmbeddedKafka kafka = forked ? null : EmbeddedKafka.start(0)) {
            if (!forked) {
                warmUp(kafka, plan, all);
            }
            for (int run = 1; run <= all.size() * plan.repeat(); run++) {
                Combination c = configuration(all, run);
                Measurement m = forked ? ForkedRun.measure(fork, run) : measure(kafka, plan, c, run);
                measured.computeIfAbsent(c, k -> new ArrayList<>()).add(m);
                String row = BenchTable.row(plan, c, Figures.of(m));
                out.print(row);
                table.append(row);
            }
        }
        BenchResults results = new BenchResults(plan, measured);
        String ratios = BenchTable.medians(results) + BenchTable.ratios(results);
        out.print(ratios);
        table.append(ratios);
        if (plan.report() != null) {
            Files.writeString(plan.report(), table + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
        if (plan.json() != null) {
            BenchJson.write(results, plan.json());
        }
    }

    /** A forked run: run number {@code run} of the plan alone, on a broker of its own, its figures written to a file. */
    public static void runOne(BenchPlan plan, int run, Path result) throws Exception {
        Combination c = configuration(Combination.all(plan), run);
        try (EmbeddedKafka kafka = EmbeddedKafka.start(0)) {
            warmUp(kafka, plan, List.of(c));
            measure(kafka, plan, c, run).writeTo(result);
        }
    }

    /** Which configuration run number {@code run} (1, 2, ...) measures: round by round through the table's order. */
    static Combination configuration(List<Combination> all, int run) {
        return all.get((run - 1) % all.size());
    }

    /** Throughput mode: every combination runs unmeasured first (latency runs warm up each on its own). */
    private static void warmUp(EmbeddedKafka kafka, BenchPlan plan, List<Combination> all) throws Exception {
        if (plan.latencyMode() || plan.warmupSeconds() == 0) {
            return;
        }
        for (int i = 0; i < all.size(); i++) {
            Combination c = all.get(i);
            JobConfig job = BenchJob.create(kafka, plan, c, "warmup" + (i + 1));
            ThroughputRun.warmUp(kafka, job, plan, c);
            BenchJob.delete(job);
        }
    }

    /** Run number {@code run} (1, 2, ...): it names the job (bench1, ...) and marks its lines in the trace. */
    private static Measurement measure(EmbeddedKafka kafka, BenchPlan plan, Combination c, int run) throws Exception {
        JobConfig job = BenchJob.create(kafka, plan, c, "bench" + run);
        try {
            return plan.latencyMode()
                    ? LatencyRun.measure(kafka, job, plan, c, run)
                    : ThroughputRun.measure(kafka, job, plan, c);
        } finally {
            BenchJob.delete(job);
        }
    }
}
