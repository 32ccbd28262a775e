package io.lstmforecast.state;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/**
 * Every entity state format this job has written restores as it did when the format was current: the golden records
 * in src/test/resources/state-formats (see its README) restore to the fields written beside them, and the forecasts
 * and alerts of the events after them are byte for byte those of that release.
 */
class StateFormatGoldenTest {
    @Test
    void everyGoldenStateRestoresToItsRecordedFieldsAndContinuesAsRecorded() throws Exception {
        for (StateFormatFixtures.Case c : StateFormatFixtures.CASES) {
            byte[] bytes = Files.readAllBytes(StateFormatFixtures.DIR.resolve(c.name() + ".bin"));
            assertEquals(c.format(), bytes[0], c.name() + ": the format byte");
            // The same events through today's stages give a state that the old format lays out to the same bytes: the
            // ring of pending forecasts holds what the intervals and the skill kept, every statistic moved the same.
            assertArrayEquals(
                    bytes,
                    LegacyLayout.write(c.format(), StateFormatFixtures.written(c.policy())),
                    c.name() + ": today's state after the same events, in the old layout");
            EntityState restored = StateFormatFixtures.restore(bytes);
            assertEquals(
                    Files.readString(StateFormatFixtures.DIR.resolve(c.name() + ".restored.txt")),
                    StateDump.describe(restored),
                    c.name() + ": restored fields");
            assertEquals(
                    Files.readString(StateFormatFixtures.DIR.resolve(c.name() + ".continued.jsonl")),
                    StateFormatFixtures.continued(restored, c.policy()),
                    c.name() + ": forecasts and alerts after the restore");
        }
    }
}
