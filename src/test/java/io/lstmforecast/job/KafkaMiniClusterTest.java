package io.lstmforecast.job;

import io.lstmforecast.local.EmbeddedKafka;
import java.nio.file.Path;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The test bed of the job's end-to-end tests: a Flink MiniCluster (one TaskManager, two slots) and a real Kafka
 * broker, both started once per test class, and the test model written once.
 */
abstract class KafkaMiniClusterTest {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    /** The broker of the test class running now (test classes run one after another). */
    static EmbeddedKafka kafka;

    @TempDir
    Path dir;

    @BeforeAll
    static void broker() throws Exception {
        kafka = EmbeddedKafka.start(0);
        ForecastJobTest.model();
    }

    @AfterAll
    static void stop() throws Exception {
        kafka.close();
    }
}
