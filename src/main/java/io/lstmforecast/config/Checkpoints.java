package io.lstmforecast.config;

import java.io.Serializable;
import java.time.Duration;

/**
 * Job settings {@code checkpoint.*} and {@code state-backend}.
 *
 * @param storage      a URI such as file:///tmp/lstm-forecast/checkpoints; null keeps Flink's default
 * @param stateBackend hashmap (state on the JVM heap) or rocksdb (state on local disk, for many entities)
 */
public record Checkpoints(Duration interval, String storage, String stateBackend) implements Serializable {
    public static final Setting<Duration> INTERVAL = Setting.duration(
                    "checkpoint.interval", Duration.ofSeconds(10), Duration.ofMillis(10), Duration.ofDays(1))
            .doc("Checkpoint interval; exactly-once output becomes visible when a checkpoint completes.");
    public static final Setting<String> STORAGE = Setting.text("checkpoint.storage", null)
            .doc("Checkpoint storage (a URI such as `s3://bucket/checkpoints`); default: Flink's.");
    public static final Setting<String> STATE_BACKEND = Setting.oneOf("state-backend", "hashmap", "hashmap", "rocksdb")
            .doc("`hashmap` (entity state on the JVM heap) or `rocksdb` (on local disk: millions of entities).");

    public static Checkpoints read(SettingsTree t) {
        return new Checkpoints(t.get(INTERVAL), t.get(STORAGE), t.get(STATE_BACKEND));
    }

    public Checkpoints {
        INTERVAL.checkFloor(interval);
        STATE_BACKEND.check(stateBackend);
    }
}
