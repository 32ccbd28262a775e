package io.lstmforecast.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates ../shared (golden vectors and public data sets); a missing folder fails the test, never skips it. */
public final class SharedData {
    private SharedData() {}

    public static Path golden() {
        return existing(System.getProperty("golden.dir", "../shared/golden"));
    }

    public static Path data() {
        return existing(System.getProperty("data.dir", "../shared/data"));
    }

    private static Path existing(String dir) {
        Path p = Path.of(dir).toAbsolutePath().normalize();
        if (!Files.isDirectory(p)) {
            throw new IllegalStateException(p + " is missing: the tests need ../shared beside the repository");
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
