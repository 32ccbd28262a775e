package io.lstmforecast.bench;

/** A run's figures; {@code latencyMs} holds the sorted latencies in latency mode and is empty in throughput mode. */
record Measurement(double eventsPerSecond, double eventsPerSecondWithStartup, long[] latencyMs) {
    /** The {@code q} quantile of the latencies (nearest rank below), -1 without any. */
    long percentile(double q) {
        long[] sorted = latencyMs;
        return sorted.length == 0 ? -1 : sorted[Math.min(sorted.length - 1, (int) Math.floor(q * sorted.length))];
    }
}
