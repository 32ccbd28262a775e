package io.lstmforecast.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.state.rocksdb.PredefinedOptions;
import org.apache.flink.state.rocksdb.RocksDBConfigurableOptions;
import org.apache.flink.state.rocksdb.RocksDBOptions;
import org.apache.flink.state.rocksdb.RocksDBResourceContainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompressionType;

/** The RocksDB settings a job gets (issue #31), as Flink's RocksDB backend reads them from the job's configuration. */
class RocksDbSettingsTest {
    @TempDir
    Path tmp;

    private static Configuration flinkConfiguration(String... overrides) {
        return ForecastJobRunner.flinkConfiguration(
                JobConfigLoader.load(JobConfigLoader.resolve("sensors"), List.of(overrides)));
    }

    @Test
    void aRocksDbJobGetsBloomFiltersPartitionedIndexesNoCompressionIncrementalCheckpointsAndLocalManagedMemory()
            throws Exception {
        Configuration conf = flinkConfiguration("state-backend=rocksdb");
        EmbeddedRocksDBStateBackend backend =
                new EmbeddedRocksDBStateBackend().configure(conf, getClass().getClassLoader());
        assertTrue(backend.isIncrementalCheckpointsEnabled());
        assertTrue(backend.getMemoryConfiguration().isUsingPartitionedIndexFilters());
        assertEquals(MemorySize.ofMebiBytes(1024), conf.get(TaskManagerOptions.MANAGED_MEMORY_SIZE));
        try (RocksDBResourceContainer rocks =
                new RocksDBResourceContainer(conf, PredefinedOptions.DEFAULT, null, null, tmp.toFile(), false)) {
            ColumnFamilyOptions columns = rocks.getColumnOptions();
            assertEquals(List.of(CompressionType.NO_COMPRESSION), columns.compressionPerLevel());
            BlockBasedTableConfig table = assertInstanceOf(BlockBasedTableConfig.class, columns.tableFormatConfig());
            assertNotNull(table.filterPolicy(), "a bloom filter");
        }
    }

    @Test
    void theJobFilesFlinkSettingsWinAndAHeapJobGetsNone() {
        Configuration conf = flinkConfiguration(
                "state-backend=rocksdb",
                "flink.execution.checkpointing.incremental=false",
                "flink.state.backend.rocksdb.use-bloom-filter=false");
        assertFalse(conf.get(CheckpointingOptions.INCREMENTAL_CHECKPOINTS));
        assertFalse(conf.get(RocksDBConfigurableOptions.USE_BLOOM_FILTER));
        assertTrue(conf.get(RocksDBOptions.USE_PARTITIONED_INDEX_FILTERS));
        Configuration heap = flinkConfiguration("state-backend=hashmap");
        for (String key : RocksDbSettings.of("rocksdb").keySet()) {
            assertFalse(heap.containsKey(key), key);
        }
    }
}
