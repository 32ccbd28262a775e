package io.lstmforecast.config;

import java.io.Serializable;

/**
 * What the job writes at most.
 *
 * @param maxOutputRecordBytes largest dead-letter or model-status record written; bigger ones are cut and marked
 */
public record Limits(int maxOutputRecordBytes) implements Serializable {
    /** Below the producer's default max.request.size (1 MiB), with room for the record's framing. */
    public static final Setting<Integer> MAX_OUTPUT_RECORD_BYTES = Setting.whole(
                    "max-output-record-bytes", 512 * 1024, 4096, 1_000_000)
            .doc(
                    "Largest dead-letter record (key and value) written; larger ones are cut and marked `truncated` (below the producer's 1 MiB `max.request.size`).");

    public static Limits read(SettingsTree t) {
        return new Limits(t.get(MAX_OUTPUT_RECORD_BYTES));
    }

    public Limits {
        MAX_OUTPUT_RECORD_BYTES.checkFloor(maxOutputRecordBytes);
    }
}
