package io.lstmforecast.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lstmforecast.event.Event;
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
        List<byte[]> seeds = sensorSeeds(t);
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

    /**
     * The quick path (token stream, no tree) accepts only what the careful path accepts, with the same event to the
     * bit; everything else it leaves to the careful path. Over mutations of named-feature and array-format records.
     */
    @Test
    void theQuickPathAcceptsNothingTheCarefulPathRejectsAndReadsTheSameEvent() {
        long t = System.currentTimeMillis() - 60_000;
        EventParser sensors = new EventParser(
                JobConfigLoader.load(JobConfigLoader.resolve("sensors"), List.of())
                        .event(),
                1);
        EventParser tracks = new EventParser(
                JobConfigLoader.load(JobConfigLoader.resolve("tracks"), List.of())
                        .event(),
                3);
        List<byte[]> trackSeeds = new ArrayList<>(List.of(
                ("{\"object\":\"ped-17\",\"time\":" + t + ",\"values\":[1.5,-2e-3,3]}")
                        .getBytes(StandardCharsets.UTF_8),
                ("{\"extra\":{\"a\":[1,{\"b\":null}]},\"values\":[0.1,0.2,0.30000001192092896],\"object\":\"\u00e9\","
                                + "\"time\":" + t + "}")
                        .getBytes(StandardCharsets.UTF_8)));
        int[] quick = new int[2];
        new Mutator(20261201L, sensorSeeds(t)).run(ROUNDS / 2, value -> quick[0] += agree(sensors, value));
        new Mutator(20261202L, trackSeeds).run(ROUNDS / 2, value -> quick[1] += agree(tracks, value));
        // Both formats reach the quick path often enough for the comparison to mean something.
        assertTrue(quick[0] > 50 && quick[1] > 1000, "quick-path events: " + quick[0] + ", " + quick[1]);
    }

    /** 1 if the quick path read an event (the careful path then reads the same one), else 0. */
    private static int agree(EventParser parser, byte[] value) {
        RecordOrigin origin = new RecordOrigin("events", 0, 1, 0, null, value);
        Event quick = parser.quickEvent(origin);
        if (quick == null) {
            return 0;
        }
        Event careful;
        try {
            careful = parser.event(origin);
        } catch (EventParser.Rejected e) {
            throw new AssertionError(
                    "the quick path accepted what the careful path rejects (" + e.getMessage() + "): "
                            + new String(value, StandardCharsets.UTF_8),
                    e);
        }
        assertEquals(careful.entityId(), quick.entityId());
        assertEquals(careful.timestamp(), quick.timestamp());
        assertArrayEquals(careful.features(), quick.features());
        return 1;
    }

    private static List<byte[]> sensorSeeds(long t) {
        List<byte[]> seeds = new ArrayList<>(List.of(
                "{\"sensor\":\"machine-7\",\"ts\":\"2026-11-24T03:00:00.000Z\",\"temperature\":71.3}"
                        .getBytes(StandardCharsets.UTF_8),
                ("{\"sensor\":12,\"ts\":\"" + java.time.Instant.ofEpochMilli(t) + "\",\"temperature\":-1e3}")
                        .getBytes(StandardCharsets.UTF_8),
                "{\"sensor\":\"\\u00e9\\ud83d\\ude00\",\"ts\":\"2026-11-24T03:00:00+01:00\",\"temperature\":0}"
                        .getBytes(StandardCharsets.UTF_8)));
        HostileInputs.records(t).stream()
                .filter(r -> r.value() != null && r.value().length < 10_000)
                .forEach(r -> seeds.add(r.value()));
        return seeds;
    }
}
