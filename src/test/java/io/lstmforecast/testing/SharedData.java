package io.lstmforecast.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Locates the data the tests share: the golden vectors (src/test/resources/golden) and the public data sets (data/),
 * both in the repository. The build passes their absolute paths as golden.dir and data.dir; the defaults are the same
 * folders relative to the repository root. A missing folder fails the test, never skips it.
 */
public final class SharedData {
    private SharedData() {}

    public static Path golden() {
        return existing(System.getProperty("golden.dir", "src/test/resources/golden"));
    }

    public static Path data() {
        return existing(System.getProperty("data.dir", "data"));
    }

    private static Path existing(String dir) {
        Path p = Path.of(dir).toAbsolutePath().normalize();
        if (!Files.isDirectory(p)) {
            throw new IllegalStateException(
                    p + " is missing: run the tests from the repository root, or pass -Dgolden.dir / -Ddata.dir");
        }
        return p;
    }

    public static float maxAbsDiff(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new AssertionError("lengths differ: " + a.length + " vs " + b.length);
        }
        float max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }
}
