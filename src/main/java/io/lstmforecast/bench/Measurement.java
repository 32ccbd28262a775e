package io.lstmforecast.bench;

import io.lstmforecast.bench.CheckpointReporter.Checkpoint;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A run's figures; {@code latencyMs} holds the sorted latencies in latency mode and is empty in throughput mode;
 * {@code checkpoints} are the job's completed checkpoints in order (empty when the job completed none).
 */
record Measurement(
        double eventsPerSecond, double eventsPerSecondWithStartup, long[] latencyMs, List<Checkpoint> checkpoints) {
    Measurement {
        checkpoints = List.copyOf(checkpoints);
    }

    /** The {@code q} quantile of the latencies (nearest rank below), -1 without any. */
    long percentile(double q) {
        long[] sorted = latencyMs;
        return sorted.length == 0 ? -1 : sorted[Math.min(sorted.length - 1, (int) Math.floor(q * sorted.length))];
    }

    /** Hands a forked run's figures to the process that started it. */
    void writeTo(Path file) throws IOException {
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(file))) {
            out.writeDouble(eventsPerSecond);
            out.writeDouble(eventsPerSecondWithStartup);
            out.writeInt(latencyMs.length);
            for (long l : latencyMs) {
                out.writeLong(l);
            }
            out.writeInt(checkpoints.size());
            for (Checkpoint c : checkpoints) {
                out.writeLong(c.id());
                out.writeLong(c.durationMs());
                out.writeLong(c.fullBytes());
                out.writeLong(c.incrementalBytes());
            }
        }
    }

    static Measurement readFrom(Path file) throws IOException {
        try (DataInputStream in = new DataInputStream(Files.newInputStream(file))) {
            double steady = in.readDouble();
            double withStartup = in.readDouble();
            long[] latencies = new long[in.readInt()];
            for (int i = 0; i < latencies.length; i++) {
                latencies[i] = in.readLong();
            }
            int n = in.readInt();
            List<Checkpoint> checkpoints = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                checkpoints.add(new Checkpoint(in.readLong(), in.readLong(), in.readLong(), in.readLong()));
            }
            return new Measurement(steady, withStartup, latencies, checkpoints);
        }
    }
}
