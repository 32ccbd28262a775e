package io.lstmforecast.state;

import io.lstmforecast.config.Combine;
import io.lstmforecast.event.Event;
import io.lstmforecast.event.Forecast;
import io.lstmforecast.io.OutputJson;
import io.lstmforecast.model.Baseline;
import io.lstmforecast.model.CellKind;
import io.lstmforecast.model.bundle.ModelBundle;
import io.lstmforecast.model.bundle.RandomBundles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.core.memory.DataInputDeserializer;

/**
 * Writes the golden entity states in src/test/resources/state-formats: one record per format this release reads,
 * what it restores to, and the forecasts and alerts of a few events after it. Run once per new format (main, from the
 * repository root); the files are then fixed, and StateFormatGoldenTest holds every later release to them.
 */
final class StateFormatFixtures {
    static final Path DIR = Path.of("src/test/resources/state-formats");
    /** The model every golden state belongs to: test-lstm@1, 4 hidden units, one layer, horizon 3, one target. */
    static final ModelBundle MODEL = RandomBundles.random(CellKind.LSTM, List.of("value"), 4, 1, 3, 7);

    /** A golden state: its file name, the format it is in and the policy of the job that restores it. */
    record Case(String name, int format, ForecastPolicy policy) {}

    /** What every release before the combination served: the model's forecast. */
    static final ForecastPolicy MODEL_SERVED = ForecastPolicy.DEFAULT.withCombine(Combine.MODEL);

    static final ForecastPolicy REWARM = MODEL_SERVED.withRewarmEvents(2);
    static final ForecastPolicy SEASONAL_BY_TIME = MODEL_SERVED.withBaseline(Baseline.parse("seasonal:1m"));
    static final ForecastPolicy SIGMA =
            ForecastPolicy.sigma(3, 0).withBaseline(Baseline.CONSTANT_VELOCITY).withCombine(Combine.MODEL);
    static final ForecastPolicy PLAIN =
            ForecastPolicy.DEFAULT.withBaseline(Baseline.NONE).withIntervalCoverage(0);
    /** The default policy, which serves the online combination of model and baseline. */
    static final ForecastPolicy ONLINE = ForecastPolicy.DEFAULT.withRewarmEvents(2);

    static final List<Case> CASES = List.of(
            new Case("v1", 1, REWARM),
            new Case("v2", 2, REWARM),
            new Case("v4", 4, REWARM),
            new Case("v5", 5, REWARM),
            new Case("v6", 6, REWARM),
            new Case("v7-persistence", 7, REWARM),
            new Case("v7-seasonal-by-time", 7, SEASONAL_BY_TIME),
            new Case("v7-no-baseline-no-intervals", 7, PLAIN),
            new Case("v7-sigma-alerts", 7, SIGMA),
            new Case("v8-persistence", 8, REWARM),
            new Case("v8-seasonal-by-time", 8, SEASONAL_BY_TIME),
            new Case("v8-no-baseline-no-intervals", 8, PLAIN),
            new Case("v8-sigma-alerts", 8, SIGMA),
            new Case("v8-combined", 8, ONLINE),
            new Case("v8-combined-constant-velocity", 8, ONLINE.withBaseline(Baseline.CONSTANT_VELOCITY)));

    /**
     * Events five seconds apart: a wave with a level step and spikes, so errors, intervals, skill and the likelihood all
     * move and the sigma rule alerts.
     */
    static float value(int i) {
        return (float) (2
                + Math.sin(i / 3.0)
                + (i % 7 == 0 ? 0.5 : 0)
                + (i >= 150 ? 1.5 : 0)
                + (i % 50 == 25 ? 4 : 0)
                + (i == BEFORE + 2 ? 30 : 0));
    }

    static final long GAP = 5_000L;
    /** Enough events that the likelihood has been scoring for a while (it starts after the 101st). */
    static final int BEFORE = 260;

    static final int AFTER = 6;

    /**
     * The combination rule of the release that wrote the golden states: the job-wide prior pooled over all ages. Since
     * the prior is kept per age of the entity's state, a state's served weights after the same events differ; under this
     * rule today's stages still give the golden bytes.
     */
    static final CombinationRule WRITTEN_RULE = new CombinationRule(0.05, 20, false);

    /** The entity's state after {@link #BEFORE} events under the policy (and {@link #WRITTEN_RULE}). */
    static EntityState written(ForecastPolicy policy) {
        EntityForecaster f = new EntityForecaster(MODEL.model(), policy);
        f.useRule(WRITTEN_RULE);
        EntityState[] state = new EntityState[1];
        Forecast[] out = new Forecast[1];
        for (int i = 0; i < BEFORE; i++) {
            f.advance(state, new Event[] {event(i)}, 1, out, a -> {});
        }
        return state[0];
    }

    static Event event(int i) {
        return new Event("golden", 1_000_000_000_000L + GAP * i, new float[] {value(i)}, null);
    }

    /** The forecasts and alerts (JSON lines) of the events after the restored state. */
    static String continued(EntityState restored, ForecastPolicy policy) {
        EntityForecaster f = new EntityForecaster(MODEL.model(), policy);
        EntityState[] state = {restored};
        Forecast[] out = new Forecast[1];
        StringBuilder lines = new StringBuilder();
        for (int i = BEFORE; i < BEFORE + AFTER; i++) {
            List<byte[]> alerts = new ArrayList<>();
            f.advance(state, new Event[] {event(i)}, 1, out, a -> alerts.add(OutputJson.alert(a)));
            lines.append(new String(OutputJson.forecast(out[0]), StandardCharsets.UTF_8))
                    .append('\n');
            for (byte[] a : alerts) {
                lines.append(new String(a, StandardCharsets.UTF_8)).append('\n');
            }
        }
        return lines.toString();
    }

    /**
     * The bytes of the case: the state after {@link #BEFORE} events as the serializer writes it (format 8), or laid out
     * as an older format held it ({@link LegacyLayout}; for format 7, what the serializer of that release wrote).
     */
    static byte[] bytes(Case c) throws IOException {
        EntityState s = written(c.policy());
        if (c.format() < Stages.CURRENT_FORMAT) {
            return LegacyLayout.write(c.format(), s);
        }
        org.apache.flink.core.memory.DataOutputSerializer out =
                new org.apache.flink.core.memory.DataOutputSerializer(2048);
        EntityStateSerializer.INSTANCE.serialize(s, out);
        return out.getCopyOfBuffer();
    }

    static EntityState restore(byte[] bytes) throws IOException {
        DataInputDeserializer in = new DataInputDeserializer(bytes);
        EntityState s = EntityStateSerializer.INSTANCE.deserialize(in);
        if (in.available() != 0) {
            throw new IOException(in.available() + " bytes left after the record");
        }
        return s;
    }

    /**
     * Writes the files of the cases that have none yet; existing golden files are never rewritten. With the argument
     * {@code continued}, re-records only the continuations of the existing states, for a release that changes on
     * purpose what the job does after a restore (the README of the folder says which and why).
     */
    public static void main(String[] args) throws IOException {
        if (args.length == 1 && args[0].equals("continued")) {
            for (Case c : CASES) {
                EntityState restored = restore(Files.readAllBytes(DIR.resolve(c.name() + ".bin")));
                Files.writeString(DIR.resolve(c.name() + ".continued.jsonl"), continued(restored, c.policy()));
            }
            return;
        }
        Files.createDirectories(DIR);
        for (Case c : CASES) {
            if (Files.exists(DIR.resolve(c.name() + ".bin"))) {
                continue;
            }
            byte[] bytes = bytes(c);
            Files.write(DIR.resolve(c.name() + ".bin"), bytes);
            EntityState restored = restore(bytes);
            Files.writeString(DIR.resolve(c.name() + ".restored.txt"), StateDump.describe(restored));
            Files.writeString(DIR.resolve(c.name() + ".continued.jsonl"), continued(restored, c.policy()));
            System.out.println(c.name() + ": " + bytes.length + " bytes");
        }
    }
}
