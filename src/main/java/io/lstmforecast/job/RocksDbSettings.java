package io.lstmforecast.job;

import java.util.List;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.state.rocksdb.RocksDBConfigurableOptions;
import org.apache.flink.state.rocksdb.RocksDBOptions;
import org.rocksdb.CompressionType;

/**
 * The Flink settings a job on the RocksDB state backend runs with, unless its file's {@code flink.*} settings say
 * otherwise. They fit how the job uses state: one read and one write of each event's entity, entities spread
 * uniformly over far more keys than memory holds, values of about 1.6 KB of floats that do not compress. Figures in
 * docs/PERFORMANCE.md (issue #31).
 *
 * <ul>
 *   <li>Partitioned index and filters with a bloom filter: without them every read of a key missing from the block
 *       cache read and uncompressed a whole SST file's index (hundreds of KB) to find one 4 KB block; partitioned, the
 *       top-level index stays pinned and a read loads one 4 KB index partition. The filter spares reads of the levels
 *       that do not hold the key, and of every level for an entity not seen before.
 *   <li>No compression: the state is floats, which compress little, and every read uncompressed its block.
 *   <li>Incremental checkpoints: a checkpoint uploads the SST files written since the last one instead of all state.
 *   <li>1 GB of managed memory when the job runs on a local cluster (bench, or run without a cluster), where Flink's
 *       default is 128 MB: RocksDB's write buffers and block cache are sized from it, and with 64 MB a slot the
 *       write buffers flushed small files that compactions and every read's filter checks then paid for. A real
 *       cluster's TaskManagers size their own managed memory (docs/operations.md) and ignore this.
 * </ul>
 */
final class RocksDbSettings {
    static final String ROCKSDB = "rocksdb";
    static final MemorySize LOCAL_MANAGED_MEMORY = MemorySize.ofMebiBytes(1024);

    private RocksDbSettings() {}

    /** The settings for state backend {@code backend}: none unless it is RocksDB. */
    static Configuration of(String backend) {
        Configuration conf = new Configuration();
        if (!ROCKSDB.equals(backend)) {
            return conf;
        }
        conf.set(RocksDBConfigurableOptions.USE_BLOOM_FILTER, true);
        conf.set(RocksDBOptions.USE_PARTITIONED_INDEX_FILTERS, true);
        conf.set(RocksDBConfigurableOptions.COMPRESSION_PER_LEVEL, List.of(CompressionType.NO_COMPRESSION));
        conf.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, true);
        conf.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, LOCAL_MANAGED_MEMORY);
        return conf;
    }
}
