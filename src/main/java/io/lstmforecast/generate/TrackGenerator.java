package io.lstmforecast.generate;

import java.util.Locale;
import java.util.Random;

/**
 * Objects moving in 3-D (x, y, z in metres) inside a 60 m square scene: each walks or flies with
 * a smoothly changing heading and speed, turns back near the edge, climbs or descends slowly and
 * sometimes stops for a while. Objects are visited round-robin, one step of {@code stepMillis}
 * per round (0.4 s as in the ETH/UCY pedestrian data).
 */
public final class TrackGenerator implements EventGenerator {
    private final Random random;
    private final long startMillis;
    private final long stepMillis;
    private final double[][] position;
    private final double[] heading;
    private final double[] turnRate;
    private final double[] speed;
    private final double[] climb;
    private final int[] stopped;
    private long round;
    private int next;

    public TrackGenerator(int objects, long seed, long startMillis, long stepMillis) {
        this.random = new Random(seed);
        this.startMillis = startMillis;
        this.stepMillis = stepMillis;
        this.position = new double[objects][3];
        this.heading = new double[objects];
        this.turnRate = new double[objects];
        this.speed = new double[objects];
        this.climb = new double[objects];
        this.stopped = new int[objects];
        for (int o = 0; o < objects; o++) {
            position[o][0] = 10 + 40 * random.nextDouble();
            position[o][1] = 10 + 40 * random.nextDouble();
            position[o][2] = 2 * random.nextDouble();
            heading[o] = 2 * Math.PI * random.nextDouble();
            speed[o] = 0.8 + 1.0 * random.nextDouble();
        }
    }

    @Override
    public GeneratedEvent next() {
        int o = next;
        long t = startMillis + round * stepMillis;
        double dt = stepMillis / 1000.0;
        if (stopped[o] > 0) {
            stopped[o]--;
        } else {
            if (random.nextDouble() < 0.005) {
                stopped[o] = 5 + random.nextInt(20);
            }
            turnRate[o] = 0.9 * turnRate[o] + 0.1 * 0.6 * random.nextGaussian();
            // The scene is a 60 m square: near its edge an object turns back towards the middle.
            double toCentre = Math.atan2(30 - position[o][1], 30 - position[o][0]);
            if (Math.hypot(position[o][0] - 30, position[o][1] - 30) > 25) {
                turnRate[o] += 0.3 * Math.sin(toCentre - heading[o]);
            }
            heading[o] += turnRate[o] * dt;
            speed[o] = Math.max(0.3, Math.min(2.5, speed[o] + 0.05 * random.nextGaussian()));
            climb[o] = 0.95 * climb[o] + 0.05 * 0.2 * random.nextGaussian();
            position[o][0] += speed[o] * Math.cos(heading[o]) * dt;
            position[o][1] += speed[o] * Math.sin(heading[o]) * dt;
            position[o][2] = Math.max(0, position[o][2] + climb[o] * dt);
        }
        float[] v = {(float) position[o][0], (float) position[o][1], (float) position[o][2]};
        String id = String.format(Locale.ROOT, "object-%d", o);
        if (++next == position.length) {
            next = 0;
            round++;
        }
        return new GeneratedEvent(id, t, v);
    }
}
