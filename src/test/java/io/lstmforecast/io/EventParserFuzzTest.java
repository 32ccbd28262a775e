package io.lstmforecast.io;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lstmforecast.event.ParsedRecord;
import io.lstmforecast.event.RecordOrigin;
import io.lstmforecast.job.JobConfig;
import io.lstmforecast.job.JobConfigLoader;
import io.lstmforecast.testing.HostileInputs;
import io.lstmforecast.testing.Mutator;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Mutation fuzzing of the event parser, for a fixed budget: every input gives exactly one event or one dead letter. */
class EventParserFuzzTest {
    static final int ROUNDS = 200_000;

    @Test
    void noMutatedRecordMakesTheParserThrowAndEveryDeadLetterKeepsItsBytesWithinTheOutputLimit() {
        JobConfig job = JobConfigLoader.load(JobConfigLoader.resolve("sensors"), List.of());
        EventParser parser = new EventParser(job.event(), 1);
        long t = System.currentTimeMillis() - 60_000;
        List<byte[]> seeds = new ArrayList<>(List.of(
                "{\"sensor\":\"machine-7\",\"ts\":\"2026-11-24T03:00:00.000Z\",\"temperature\":71.3}".getBytes(StandardCharsets.UTF_8),
                ("{\"sensor\":12,\"ts\":\"" + java.time.Instant.ofEpochMilli(t) + "\",\"temperature\":-1e3}").getBytes(StandardCharsets.UTF_8),
                "{\"sensor\":\"\\u00e9\\ud83d\\ude00\",\"ts\":\"2026-11-24T03:00:00+01:00\",\"temperature\":0}".getBytes(StandardCharsets.UTF_8)));
        HostileInputs.records(t).stream().filter(r -> r.value() != null && r.value().length < 10_000).forEach(r -> seeds.add(r.value()));
        int[] events = new int[1];
        new Mutator(20261125L, seeds).run(ROUNDS, value -> {
            ParsedRecord r = parser.parse(new RecordOrigin("events", 0, 1, 0, null, value));
            assertNotNull(r);
            assertTrue(r.isEvent() != (r.deadLetter() != null), "exactly one of event and dead letter");
            if (r.isEvent()) {
                events[0]++;
                assertTrue(Float.isFinite(r.event().features()[0]));
            } else {
                byte[] out = OutputJson.deadLetter(r.deadLetter(), 8192);
                assertTrue(out.length <= 8192, "dead letter of " + out.length + " bytes");
            }
        });
        // The budget reaches both outcomes: mutations that keep a record valid and ones that break it.
        assertTrue(events[0] > 100, "valid mutations: " + events[0]);
    }
}
