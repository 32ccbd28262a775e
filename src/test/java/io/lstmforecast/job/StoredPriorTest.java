package io.lstmforecast.job;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.lstmforecast.state.PopulationPrior;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The population prior's entries in operator state: today's round trip, and what earlier releases wrote. */
class StoredPriorTest {
    @Test
    void anEntryWithAPriorPerAgeRestoresEveryBucketExactly() {
        PopulationPrior p = new PopulationPrior(3);
        p.observe(2, new float[] {1, 2, Float.NaN}, new float[] {3, 2, Float.NaN});
        p.observe(400, new float[] {3, 1, 1}, new float[] {1, 3, 1});
        StoredPrior.Entry back = StoredPrior.decode(StoredPrior.encode(new StoredPrior.Entry(1, 2, p)));
        assertEquals(1, back.instance());
        assertEquals(2, back.parallelism());
        assertEquals(PopulationPrior.AGES.length, back.prior().buckets());
        for (int b = 0; b < p.buckets(); b++) {
            assertArrayEquals(p.counts(b), back.prior().counts(b), "bucket " + b);
            assertArrayEquals(p.advantages(b), back.prior().advantages(b), "bucket " + b);
        }
        assertEquals(1, back.prior().advantage(0, 1), 1e-7);
        assertEquals(-1, back.prior().advantage(1000, 1), 1e-7);
    }

    /** Version 1, written before the prior was kept per age: one pooled bucket, no bucket count. */
    private static byte[] versionOne(int instance, int parallelism, long[] counts, float[] advantages)
            throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(1);
            out.writeInt(instance);
            out.writeInt(parallelism);
            out.writeInt(counts.length);
            for (long c : counts) {
                out.writeLong(c);
            }
            for (float a : advantages) {
                out.writeFloat(a);
            }
        }
        return bytes.toByteArray();
    }

    @Test
    void aVersionOneEntryRestoresAsWhatMatureStatesHaveShown() throws Exception {
        StoredPrior.Entry e = StoredPrior.decode(versionOne(0, 1, new long[] {7, 9}, new float[] {0.5f, -0.25f}));
        assertEquals(1, e.prior().buckets());
        assertArrayEquals(new long[] {7, 9}, e.prior().counts());
        // As the operator continues it: the pooled prior becomes the oldest bucket, the young ones learn again.
        PopulationPrior continued = PopulationPrior.merge(2, List.of(e.prior()));
        assertEquals(0.5, continued.advantage(Long.MAX_VALUE, 1), 1e-7);
        assertEquals(-0.25, continued.advantage(Long.MAX_VALUE, 2), 1e-7);
        assertEquals(0, continued.advantage(0, 1));
        assertArrayEquals(new long[2], continued.counts(0));
    }

    @Test
    void anEntryThatIsNotOneThisCodeOrAnEarlierReleaseWroteIsSkipped() throws Exception {
        byte[] bytes = versionOne(0, 1, new long[] {7, 9}, new float[] {0.5f, -0.25f});
        bytes[0] = 3;
        assertNull(StoredPrior.decode(bytes), "an unknown version");
        assertNull(StoredPrior.decode(versionOne(0, 1, new long[] {7}, new float[] {5})), "an advantage beyond 2");
        byte[] cut = StoredPrior.encode(new StoredPrior.Entry(0, 1, new PopulationPrior(2)));
        assertNull(StoredPrior.decode(java.util.Arrays.copyOf(cut, cut.length - 1)), "a truncated entry");
    }
}
