package io.lstmforecast.bench;

import io.lstmforecast.job.JobConfig;
import io.lstmforecast.local.EmbeddedKafka;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The benchmark behind {@code bench}: every combination of a plan runs the whole job on a Kafka broker started in this
 * process, each with its own job and topics; the table is printed row by row as the runs end, then the ratios.
 */
public final class BenchHarness {
    private BenchHarness() {}

    /** Runs the plan, printing the table to {@code out} and writing the plan's report and JSON files. */
    public static void run(BenchPlan plan, PrintStream out) throws Exception {
        StringBuilder table = new StringBuilder(BenchTable.header(plan));
        out.print(table);
        Map<Combination, Measurement> measured = new LinkedHashMap<>();
        try (EmbeddedKafka kafka = EmbeddedKafka.start(0)) {
            int run = 0;
            for (Combination c : Combination.all(plan)) {
                Measurement m = measure(kafka, plan, c, ++run);
                measured.put(c, m);
                String row = BenchTable.row(plan, c, m);
                out.print(row);
                table.append(row);
            }
        }
        BenchResults results = new BenchResults(plan, measured);
        String ratios = BenchTable.ratios(results);
        out.print(ratios);
        table.append(ratios);
        if (plan.report() != null) {
            Files.writeString(plan.report(), table + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
        if (plan.json() != null) {
            BenchJson.write(results, plan.json());
        }
    }

    /** Run number {@code run} (1, 2, ...): it names the job (bench1, ...) and marks its lines in the trace. */
    private static Measurement measure(EmbeddedKafka kafka, BenchPlan plan, Combination c, int run) throws Exception {
        JobConfig job = BenchJob.create(kafka, plan, c, "bench" + run);
        return plan.latencyMode()
                ? LatencyRun.measure(kafka, job, plan, c, run)
                : ThroughputRun.measure(kafka, job, plan, c);
    }
}
