package io.lstmforecast.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class IsoInstantTest {
    /** The same text as Instant.toString: random times over years 0000-9999, and the edges of the range and of days. */
    @Test
    void writesWhatInstantWrites() {
        long[] edges = {
            0L,
            -1L,
            1L,
            999L,
            1000L,
            86_399_999L,
            86_400_000L,
            951_782_400_000L, // 2000-02-29
            -62_167_219_200_000L,
            -62_167_219_200_001L,
            253_402_300_799_999L,
            253_402_300_800_000L,
            Long.MIN_VALUE / 2,
            Long.MAX_VALUE / 2,
            4_107_542_399_000L // 2100-02-28T23:59:59Z, a century year without a leap day
        };
        for (long t : edges) {
            assertEquals(Instant.ofEpochMilli(t).toString(), IsoInstant.of(t), "at " + t);
        }
        SplittableRandom random = new SplittableRandom(13);
        for (int i = 0; i < 1_000_000; i++) {
            long t = random.nextLong(-62_167_219_200_000L, 253_402_300_800_000L);
            if (i % 2 == 0) {
                t -= Math.floorMod(t, 1000); // whole seconds, written without a fraction
            }
            assertEquals(Instant.ofEpochMilli(t).toString(), IsoInstant.of(t), "at " + t);
        }
    }
}
