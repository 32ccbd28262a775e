package io.lstmforecast.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Temporary directories this process made (a broker's log, a bench run's model and checkpoints). */
public final class Directories {
    private Directories() {}

    /** Deletes {@code dir} and everything in it, deepest first; what is already gone is skipped. */
    public static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
