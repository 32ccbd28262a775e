package io.lstmforecast.io;

import io.lstmforecast.event.Event;
import io.lstmforecast.event.ParsedRecord;
import io.lstmforecast.event.RecordOrigin;
import io.lstmforecast.job.JobConfigLoader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Parsing one event, the quick path (token stream) against the careful path (Jackson tree), on the records bench sends
 * and on a three-feature track record. Run with {@code scripts/jmh.sh EventParserBenchmark}; JMH's table is in ns per
 * record (the script's per-step columns do not apply).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class EventParserBenchmark {
    EventParser bench;
    EventParser tracks;
    RecordOrigin benchEvent;
    RecordOrigin trackEvent;

    @Setup
    public void setup() {
        long t = System.currentTimeMillis() - 60_000;
        bench = new EventParser(
                JobConfigLoader.load(
                                JobConfigLoader.resolve("sensors"),
                                List.of(
                                        "event.entity-field=id",
                                        "event.timestamp-field=t",
                                        "event.timestamp-format=epoch-millis",
                                        "event.features=[v]"))
                        .event(),
                1);
        tracks = new EventParser(
                JobConfigLoader.load(JobConfigLoader.resolve("tracks"), List.of())
                        .event(),
                3);
        benchEvent = origin("{\"id\":\"e-417\",\"t\":" + t + ",\"v\":0.8414709848078965}");
        trackEvent = origin("{\"object\":\"ped-17\",\"time\":" + t + ",\"values\":[12.375,-3.0625,0.5]}");
    }

    private static RecordOrigin origin(String json) {
        return new RecordOrigin("events", 0, 1, 0, null, json.getBytes(StandardCharsets.UTF_8));
    }

    @Benchmark
    public ParsedRecord benchQuick() {
        return bench.parse(benchEvent);
    }

    @Benchmark
    public Event benchCareful() throws EventParser.Rejected {
        return bench.event(benchEvent);
    }

    @Benchmark
    public ParsedRecord tracksQuick() {
        return tracks.parse(trackEvent);
    }

    @Benchmark
    public Event tracksCareful() throws EventParser.Rejected {
        return tracks.event(trackEvent);
    }
}
