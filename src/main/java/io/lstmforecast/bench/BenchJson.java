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
 * bench --json: a JSON array, one object per run, holding its settings by flag name and its figures (events_per_s, and
 * p50_ms, p99_ms, p999_ms in latency mode), for scripts that compare runs.
 */
final class BenchJson {
    private BenchJson() {}

    static void write(BenchResults results, Path file) throws IOException {
        BenchPlan plan = results.plan();
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Map.Entry<Combination, Measurement> e : results.measured().entrySet()) {
            Combination c = e.getKey();
            Measurement m = e.getValue();
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
            row.put("events_per_s", Math.round(m.eventsPerSecond()));
            if (plan.latencyMode()) {
                row.put("p50_ms", m.percentile(0.5));
                row.put("p99_ms", m.percentile(0.99));
                row.put("p999_ms", m.percentile(0.999));
            } else {
                row.put("events_per_s_with_startup", Math.round(m.eventsPerSecondWithStartup()));
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
}
