package io.lstmforecast.testing;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

/**
 * A seeded mutation fuzzer: starts from valid inputs and applies byte-level mutations (flips, interesting
 * values, inserts, deletes, duplicated runs, truncation, splices of two seeds) for a fixed number of rounds.
 * Seeded, so a failure reproduces; the budget is a count, not a time, so CI runs the same inputs every time.
 */
public final class Mutator {
    private static final byte[] INTERESTING = {
        0,
        (byte) 0xff,
        (byte) 0x80,
        0x7f,
        '"',
        '\\',
        '{',
        '}',
        '[',
        ']',
        ',',
        ':',
        '-',
        '9',
        'e',
        '\'',
        '(',
        ')',
        (byte) 0xc0,
        (byte) 0xed,
        0x1b
    };

    private final Random rnd;
    private final List<byte[]> seeds;

    public Mutator(long seed, List<byte[]> seeds) {
        this.rnd = new Random(seed);
        this.seeds = seeds;
    }

    /** Feeds {@code rounds} mutated inputs to {@code target}; the target asserts what must hold for every input. */
    public void run(int rounds, Consumer<byte[]> target) {
        for (int i = 0; i < rounds; i++) {
            byte[] input = mutate(seeds.get(rnd.nextInt(seeds.size())));
            try {
                target.accept(input);
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError(
                        "round " + i + ", input (" + input.length + " bytes) starting "
                                + Arrays.toString(Arrays.copyOf(input, Math.min(64, input.length))),
                        e);
            }
        }
    }

    byte[] mutate(byte[] seed) {
        byte[] b = seed.clone();
        int edits = 1 + rnd.nextInt(4);
        for (int e = 0; e < edits && b.length > 0; e++) {
            int at = rnd.nextInt(b.length);
            switch (rnd.nextInt(7)) {
                case 0 -> b[at] ^= (byte) (1 << rnd.nextInt(8));
                case 1 -> b[at] = INTERESTING[rnd.nextInt(INTERESTING.length)];
                case 2 -> b = insert(b, at, new byte[] {INTERESTING[rnd.nextInt(INTERESTING.length)]});
                case 3 -> b = delete(b, at, 1 + rnd.nextInt(Math.min(16, b.length - at)));
                case 4 -> b = insert(b, at, Arrays.copyOfRange(b, at, Math.min(b.length, at + 1 + rnd.nextInt(64))));
                case 5 -> b = Arrays.copyOf(b, at);
                default -> {
                    byte[] other = seeds.get(rnd.nextInt(seeds.size()));
                    int from = other.length == 0 ? 0 : rnd.nextInt(other.length);
                    b = insert(Arrays.copyOf(b, at), at, Arrays.copyOfRange(other, from, other.length));
                }
            }
        }
        return b;
    }

    private static byte[] insert(byte[] b, int at, byte[] piece) {
        byte[] out = new byte[b.length + piece.length];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(piece, 0, out, at, piece.length);
        System.arraycopy(b, at, out, at + piece.length, b.length - at);
        return out;
    }

    private static byte[] delete(byte[] b, int at, int n) {
        byte[] out = new byte[b.length - n];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(b, at + n, out, at, b.length - at - n);
        return out;
    }
}
