package io.lstmforecast.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * How much a model file may make the job read: a bundle or weights file comes from whoever can write to the
 * models topic or a model directory, and a 41 KB zip can inflate to gigabytes. Every read of a model file goes
 * through these caps, before anything is allocated for its contents.
 *
 * @param maxBytes   most bytes read from one file, and most bytes decompressed from one archive, in total
 * @param maxEntries most entries one archive may hold (a bundle has two; a state_dict a few dozen)
 */
public record ReadLimits(long maxBytes, int maxEntries) implements Serializable {
    /** 256 MiB: a 2-layer LSTM with hidden size 2048 is about 130 MB of float32 weights. */
    public static final long DEFAULT_MAX_BYTES = 256L << 20;

    public static final int DEFAULT_MAX_ENTRIES = 1024;
    public static final ReadLimits DEFAULT = new ReadLimits(DEFAULT_MAX_BYTES, DEFAULT_MAX_ENTRIES);

    public ReadLimits {
        if (maxBytes < 1 || maxBytes > Integer.MAX_VALUE - 16 || maxEntries < 1) {
            throw new IllegalArgumentException("model read limits must be 1 byte to 2 GiB and at least one entry");
        }
    }

    /** Reads a whole file, but no more than {@link #maxBytes} (files such as /proc/self/pagemap never end). */
    public byte[] readFile(Path file, String what) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, maxBytes, what);
        }
    }

    /** Reads a model file that must exist, as {@link #readFile}; every failure is a {@link ModelFormatException}. */
    public byte[] readModelFile(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new ModelFormatException(file + " does not exist or is not a file");
        }
        try {
            return readFile(file, file.toString());
        } catch (IOException e) {
            throw new ModelFormatException(file + " cannot be read: " + e.getMessage(), e);
        }
    }

    /**
     * Reads a stream to its end, failing with a {@link ModelFormatException} once more than {@code budget} bytes
     * come; grows its buffer as bytes arrive, so a lying size header cannot make it allocate.
     */
    public static byte[] read(InputStream in, long budget, String what) throws IOException {
        byte[] buf = new byte[(int) Math.min(budget + 1, 8192)];
        int n = 0;
        while (true) {
            if (n == buf.length) {
                if (n > budget) {
                    throw new ModelFormatException(
                            what + " is larger than the limit of " + budget + " bytes (job setting max-model-bytes)");
                }
                buf = Arrays.copyOf(buf, (int) Math.min(budget + 1, (long) n * 2));
            }
            int r = in.read(buf, n, buf.length - n);
            if (r < 0) {
                return Arrays.copyOf(buf, n);
            }
            n += r;
        }
    }
}
