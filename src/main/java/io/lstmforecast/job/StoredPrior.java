package io.lstmforecast.job;

import io.lstmforecast.state.PopulationPrior;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The forecast operator's {@link PopulationPrior} in operator state: one entry per parallel instance, each written with
 * the instance's index and the job's parallelism. The state is a union list, so every instance restores every entry:
 * at the same parallelism an instance continues from its own entry exactly; after a rescale each starts from the merge
 * of all ({@link PopulationPrior#merge}), the population's evidence whichever instance gathered it.
 *
 * <p>An entry is bytes (version, instance, parallelism, horizon, buckets, then per bucket the counts and the
 * advantages), so the prior's class can change without breaking checkpoints; version 1 entries (one bucket, no bucket
 * count) still restore. An entry that cannot be read is skipped with a warning: losing the prior only
 * makes young entities start from an even split until it learns again.
 */
final class StoredPrior {
    static final ListStateDescriptor<byte[]> DESCRIPTOR =
            new ListStateDescriptor<>("population-prior", PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO);

    private static final Logger LOG = LoggerFactory.getLogger(StoredPrior.class);
    /** 2: a bucket per age of the entity's state ({@link PopulationPrior#AGES}); 1: all ages pooled. */
    private static final byte VERSION = 2;
    /** Longest horizon an entry may claim; a model's horizon is far below it. */
    private static final int MAX_HORIZON = 1 << 16;

    private final ListState<byte[]> state;
    private final int instance;
    private final int parallelism;
    /** The entries restored, readable ones only; empty on a fresh start. */
    private final List<Entry> restored = new ArrayList<>();

    /** One instance's prior as written. */
    record Entry(int instance, int parallelism, PopulationPrior prior) {}

    StoredPrior(StateInitializationContext context, int instance, int parallelism) throws Exception {
        this.state = context.getOperatorStateStore().getUnionListState(DESCRIPTOR);
        this.instance = instance;
        this.parallelism = parallelism;
        if (context.isRestored()) {
            for (byte[] bytes : state.get()) {
                Entry e = decode(bytes);
                if (e != null) {
                    restored.add(e);
                }
            }
        }
    }

    /**
     * The prior restored for a model of this horizon: this instance's own when the parallelism is the one it was written
     * at (a version 1 entry's pooled prior as the oldest bucket), else the merge of every entry of this horizon, each counted as at most {@link PopulationPrior#WINDOW} scores
     * (what its mean spans); null when none was restored.
     */
    PopulationPrior restored(int horizon) {
        List<PopulationPrior> parts = new ArrayList<>();
        for (Entry e : restored) {
            if (e.prior().horizon() != horizon) {
                continue;
            }
            if (e.parallelism() == parallelism && e.instance() == instance) {
                // A version 1 entry pooled all ages: it continues as what mature states have shown.
                return e.prior().buckets() == 1 ? PopulationPrior.merge(horizon, List.of(e.prior())) : e.prior();
            }
            parts.add(capped(e.prior()));
        }
        return parts.isEmpty() ? null : PopulationPrior.merge(horizon, parts);
    }

    /** Replaces this instance's entry with {@code prior} (at a checkpoint). */
    void snapshot(PopulationPrior prior) throws Exception {
        state.update(List.of(encode(new Entry(instance, parallelism, prior))));
    }

    static byte[] encode(Entry e) {
        PopulationPrior p = e.prior();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(17 + 12 * p.buckets() * p.horizon());
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeInt(e.instance());
            out.writeInt(e.parallelism());
            out.writeInt(p.horizon());
            out.writeInt(p.buckets());
            for (int b = 0; b < p.buckets(); b++) {
                for (long c : p.counts(b)) {
                    out.writeLong(c);
                }
                for (float a : p.advantages(b)) {
                    out.writeFloat(a);
                }
            }
        } catch (IOException x) {
            throw new UncheckedIOException(x);
        }
        return bytes.toByteArray();
    }

    /**
     * The entry, or null (with a warning) when the bytes are not one this code or an earlier version wrote, or hold
     * impossible values. Version 1 (one bucket, all ages pooled: counts, then advantages) is read as that.
     */
    static Entry decode(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            byte version = in.readByte();
            int instance = in.readInt();
            int parallelism = in.readInt();
            int horizon = in.readInt();
            int buckets = version == 1 ? 1 : in.readInt();
            int header = version == 1 ? 13 : 17;
            if ((version != 1 && version != VERSION)
                    || instance < 0
                    || instance >= parallelism
                    || horizon < 1
                    || horizon > MAX_HORIZON
                    || (buckets != 1 && buckets != PopulationPrior.AGES.length)
                    || bytes.length != header + 12L * buckets * horizon) {
                LOG.warn("a population prior in operator state cannot be read (version {}); it is skipped", version);
                return null;
            }
            long[][] counts = new long[buckets][horizon];
            float[][] advantages = new float[buckets][horizon];
            for (int b = 0; b < buckets; b++) {
                for (int k = 0; k < horizon; k++) {
                    counts[b][k] = in.readLong();
                }
                for (int k = 0; k < horizon; k++) {
                    advantages[b][k] = in.readFloat();
                    if (counts[b][k] < 0 || !(Math.abs(advantages[b][k]) <= 2)) {
                        LOG.warn("a population prior in operator state holds impossible values; it is skipped");
                        return null;
                    }
                }
            }
            return new Entry(instance, parallelism, new PopulationPrior(counts, advantages));
        } catch (IOException | RuntimeException x) {
            LOG.warn("a population prior in operator state cannot be read; it is skipped", x);
            return null;
        }
    }

    /** The prior with each count cut to the window its mean spans, so merges weigh instances by what they hold. */
    private static PopulationPrior capped(PopulationPrior p) {
        long[][] counts = new long[p.buckets()][];
        float[][] advantages = new float[p.buckets()][];
        for (int b = 0; b < p.buckets(); b++) {
            counts[b] = p.counts(b);
            advantages[b] = p.advantages(b);
            for (int k = 0; k < counts[b].length; k++) {
                counts[b][k] = Math.min(counts[b][k], PopulationPrior.WINDOW);
            }
        }
        return new PopulationPrior(counts, advantages);
    }
}
