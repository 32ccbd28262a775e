package io.lstmforecast.generate;

import java.util.Locale;
import java.util.Random;

/**
 * Machine-temperature-like sensors: each sensor has its
 * own base level, a daily cycle with its own phase and amplitude, a slow drift, noise, and now and
 * then a level shift that decays, as a machine heating up under load. Sensors are visited
 * round-robin, so all advance in time together, one step of {@code stepMillis} per round.
 */
public final class SensorGenerator implements EventGenerator {
    private static final double DAY_MILLIS = 86_400_000.0;

    private final Random random;
    private final long startMillis;
    private final long stepMillis;
    private final double[] base;
    private final double[] amplitude;
    private final double[] phase;
    private final double[] shift;
    private long round;
    private int next;

    public SensorGenerator(int sensors, long seed, long startMillis, long stepMillis) {
        this.random = new Random(seed);
        this.startMillis = startMillis;
        this.stepMillis = stepMillis;
        this.base = new double[sensors];
        this.amplitude = new double[sensors];
        this.phase = new double[sensors];
        this.shift = new double[sensors];
        for (int s = 0; s < sensors; s++) {
            base[s] = 60 + 25 * random.nextDouble();
            amplitude[s] = 2 + 6 * random.nextDouble();
            phase[s] = 2 * Math.PI * random.nextDouble();
        }
    }

    @Override
    public GeneratedEvent next() {
        int s = next;
        long t = startMillis + round * stepMillis;
        if (random.nextDouble() < 0.002) {
            shift[s] += (random.nextBoolean() ? 1 : -1) * (4 + 6 * random.nextDouble());
        }
        shift[s] *= 0.995;
        double day = 2 * Math.PI * (t - startMillis) / DAY_MILLIS;
        double drift = 0.5 * Math.sin(day / 7 + phase[s]);
        float value = (float) (base[s]
                + amplitude[s] * Math.sin(day * 24 + phase[s])
                + drift
                + shift[s]
                + 0.3 * random.nextGaussian());
        String id = String.format(Locale.ROOT, "machine-%d", s);
        if (++next == base.length) {
            next = 0;
            round++;
        }
        return new GeneratedEvent(id, t, new float[] {value});
    }
}
