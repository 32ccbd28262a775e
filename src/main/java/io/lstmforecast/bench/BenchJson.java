package io.lstmforecast.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * bench --json: a JSON array, one object per configuration, holding its settings by flag name and its figures
 * (events_per_s, and p50_ms, p99_ms, p999_ms in latency mode; the job's checkpoints: how many, their median and
 * longest duration, the last one's full size, the median of what each wrote, and that full size per entity; with
 * --repeat, the medians, and each run's figures under runs), for scripts that compare runs.
 */
final class BenchJson {
    private BenchJson() {}

    static void write(BenchResults results, Path file) throws IOException {
        BenchPlan plan = results.plan();
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Map.Entry<Combination, List<Measurement>> e : results.measured().entrySet()) {
            Combination c = e.getKey();
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("kernel", c.kernel());
            row.put("ordering", c.ordering());
            row.put("hidden", c.hidden());
            row.put("entities", c.entities());
            row.put("state", c.state());
            row.put("batch", c.batch());
            row.put("delivery", c.delivery());
            row.put("events", plan.events());
            row.put("rate", plan.rate());
            row.put("parallelism", plan.parallelism());
            row.put("checkpoint-interval", plan.checkpointInterval());
            row.put("max-batch-delay", plan.maxBatchDelay() == null ? "default" : plan.maxBatchDelay());
            row.put("set", plan.settings());
            row.put("repeat", plan.repeat());
            figures(plan, c, results.figures(c), row);
            if (plan.repeat() > 1) {
                List<Map<String, Object>> runs = new ArrayList<>();
                for (Measurement m : e.getValue()) {
                    runs.add(figures(plan, c, Figures.of(m), new LinkedHashMap<>()));
                }
                row.put("runs", runs);
            }
            Double r = results.ratio(c);
            if (r != null) {
                row.put(plan.latencyMode() ? "lstm_to_noop_p50" : "lstm_to_noop", Math.round(r * 1000) / 1000.0);
            }
            rows.add(row);
        }
        Files.writeString(
                file, new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(rows) + "\n");
    }

    private static Map<String, Object> figures(BenchPlan plan, Combination c, Figures f, Map<String, Object> into) {
        into.put("events_per_s", Math.round(f.eventsPerSecond()));
        if (plan.latencyMode()) {
            into.put("p50_ms", f.p50Ms());
            into.put("p99_ms", f.p99Ms());
            into.put("p999_ms", f.p999Ms());
        } else {
            into.put("events_per_s_with_startup", Math.round(f.eventsPerSecondWithStartup()));
        }
        into.put("checkpoints", f.checkpoints());
        if (f.checkpointBytes() >= 0) {
            into.put("checkpoint_ms_median", f.checkpointMs());
            into.put("checkpoint_ms_max", f.checkpointMaxMs());
            into.put("checkpoint_bytes_full", Math.round(f.checkpointBytes()));
            into.put("checkpoint_bytes_incremental_median", Math.round(f.incrementalBytes()));
            into.put("state_bytes_per_entity", Math.round(f.stateBytesPerEntity(plan.entitiesReached(c))));
        }
        return into;
    }
}
