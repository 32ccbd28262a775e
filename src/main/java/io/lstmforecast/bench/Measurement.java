package io.lstmforecast.bench;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A run's figures; {@code latencyMs} holds the sorted latencies in latency mode and is empty in throughput mode. */
record Measurement(double eventsPerSecond, double eventsPerSecondWithStartup, long[] latencyMs) {
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
            return new Measurement(steady, withStartup, latencies);
        }
    }
}
