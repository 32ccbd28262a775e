package io.lstmforecast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lstmforecast.testing.SharedData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * evaluate run in-process with few epochs: every --json key is there, and the baseline figures equal a computation
 * written here from the files alone (not through the evaluation code).
 */
class EvaluateCommandTest {
    @TempDir
    Path tmp;

    private JsonNode evaluate(String... args) throws Exception {
        Path out = tmp.resolve("figures.json");
        List<String> all =
                new ArrayList<>(List.of("evaluate", "--data", SharedData.data().toString(), "--json", out.toString()));
        all.addAll(List.of(args));
        SequenceErrorsTest.Outcome o = SequenceErrorsTest.run(all.toArray(String[]::new));
        assertEquals(0, o.code(), o.err());
        return new ObjectMapper().readTree(out.toFile());
    }

    private static void assertKeys(JsonNode figures, String... keys) {
        for (String k : keys) {
            assertTrue(figures.has(k) && figures.get(k).isNumber(), "numeric key " + k + " in " + figures);
        }
    }

    @Test
    void ethUcySceneFolderWritesAdeFdeAndTheConstantVelocityBaseline() throws Exception {
        // A scene in the ETH/UCY format written here: walkers on turning paths, 0.4 s between frames 10 apart.
        Path scene = tmp.resolve("walkers");
        writeWalkers(scene.resolve("train/a.txt"), 60, 11);
        writeWalkers(scene.resolve("val/a.txt"), 15, 12);
        writeWalkers(scene.resolve("test/a.txt"), 30, 13);
        assertEthUcyFigures(scene);
    }

    /**
     * The same on the real ETH/UCY files, which the repository does not carry (their licence does not allow it, see
     * data/ethucy/README.md): scripts/fetch-ethucy puts them into data/ethucy, and mvn verify -Pethucy runs this.
     */
    @Test
    @Tag("ethucy")
    void ethUcyPublicSceneWritesAdeFdeAndTheConstantVelocityBaseline() throws Exception {
        // A small scene: the first lines of one file per split of zara1.
        Path scene = tmp.resolve("small");
        Path source = SharedData.data().resolve("ethucy/zara1");
        copyHead(source.resolve("train/crowds_zara02_train.txt"), scene.resolve("train/a.txt"), 3000);
        copyHead(source.resolve("val/crowds_zara02_val.txt"), scene.resolve("val/a.txt"), 800);
        copyHead(source.resolve("test/crowds_zara01.txt"), scene.resolve("test/a.txt"), 1500);
        assertEthUcyFigures(scene);
    }

    private void assertEthUcyFigures(Path scene) throws Exception {
        JsonNode f = evaluate("--task", "ethucy", "--scene", scene.toString(), "--epochs", "2");
        // ade and fde: what the job serves; model_ade and model_fde: the model alone.
        assertKeys(f, "ade", "fde", "model_ade", "model_fde", "baseline_ade", "baseline_fde", "windows");
        double[] cv = constantVelocity(scene.resolve("test/a.txt"));
        assertTrue(cv[2] > 0, "windows in " + scene);
        assertEquals(cv[2], f.get("windows").asDouble());
        assertEquals(cv[0], f.get("baseline_ade").asDouble(), 1e-9);
        assertEquals(cv[1], f.get("baseline_fde").asDouble(), 1e-9);
        assertTrue(f.get("ade").asDouble() < f.get("fde").asDouble(), "errors grow with the horizon");
        assertTrue(f.get("model_ade").asDouble() < f.get("model_fde").asDouble(), "the model's too");
    }

    /**
     * Walkers in ETH/UCY's format (frame, pedestrian, x, y in metres, tab-separated, by frame): each enters at a random
     * frame, walks 25 to 45 steps at about 1.3 m/s (0.5 m a step) and turns a little at every step.
     */
    private static void writeWalkers(Path file, int walkers, long seed) throws Exception {
        Random rnd = new Random(seed);
        TreeMap<Integer, List<String>> byFrame = new TreeMap<>();
        for (int ped = 1; ped <= walkers; ped++) {
            int frame = 10 * rnd.nextInt(200);
            double x = rnd.nextDouble() * 15;
            double y = rnd.nextDouble() * 15;
            double heading = rnd.nextDouble() * 2 * Math.PI;
            double turn = rnd.nextGaussian() * 0.05;
            double step = 0.45 + rnd.nextDouble() * 0.1;
            for (int i = 0, steps = 25 + rnd.nextInt(21); i < steps; i++, frame += 10) {
                byFrame.computeIfAbsent(frame, k -> new ArrayList<>())
                        .add(String.format(Locale.ROOT, "%d.0\t%d.0\t%.6f\t%.6f", frame, ped, x, y));
                heading += turn + rnd.nextGaussian() * 0.03;
                x += step * Math.cos(heading);
                y += step * Math.sin(heading);
            }
        }
        Files.createDirectories(file.getParent());
        Files.write(file, byFrame.values().stream().flatMap(List::stream).toList());
    }

    @Test
    void theShippedModelsBeatTheirJobsBaselinesOnHeldOutGeneratedData() throws Exception {
        for (String job : List.of("sensors", "tracks")) {
            JsonNode f = evaluate("--task", "job", "--job", "jobs/" + job, "--events", "6000");
            assertKeys(f, "mae_1", "baseline_mae_1", "skill_1", "mae_h", "baseline_mae_h", "skill_h", "forecasts");
            assertTrue(
                    f.get("skill_1").asDouble() > 0.1 && f.get("skill_h").asDouble() > 0.1,
                    job + " earns its place: " + f);
            // 300 events per entity: the one-step skill by age up to 299.
            assertKeys(f, "skill_1_age_0_24", "model_skill_1_age_0_24", "skill_1_age_200_299");
            assertTrue(!f.has("skill_1_age_300_399"), "no forecast at that age: no key");
        }
        // The tracks model loses to constant velocity while an entity's state warms up from zeros; what is served then
        // leans on the baseline, as the states of that age have shown the population.
        JsonNode tracks = evaluate("--task", "job", "--job", "jobs/tracks", "--events", "6000");
        assertTrue(tracks.get("model_skill_1_age_0_24").asDouble() < 0, "the model alone, young: " + tracks);
        assertTrue(
                tracks.get("skill_1_age_0_24").asDouble()
                        > tracks.get("model_skill_1_age_0_24").asDouble() + 0.15,
                "served, young: " + tracks);
        // The sensors job's baseline is persistence: its one-step MAE from the generator's own values (seed 1001, as
        // the command uses for --seed 1), forecasts made after each entity's 50th event.
        io.lstmforecast.generate.EventGenerator g =
                io.lstmforecast.generate.Generators.forJob("sensors", 20, 1001, 1_700_000_000_000L);
        Map<String, List<Float>> values = new TreeMap<>();
        for (int i = 0; i < 6000; i++) {
            io.lstmforecast.generate.GeneratedEvent e = g.next();
            values.computeIfAbsent(e.entityId(), k -> new ArrayList<>()).add(e.values()[0]);
        }
        double sum = 0;
        int n = 0;
        for (List<Float> v : values.values()) {
            for (int made = 51; made < v.size(); made++) {
                sum += Math.abs(v.get(made) - v.get(made - 1));
                n++;
            }
        }
        JsonNode sensors = evaluate("--task", "job", "--job", "jobs/sensors", "--events", "6000");
        assertEquals(n, sensors.get("forecasts").asInt());
        assertEquals(sum / n, sensors.get("baseline_mae_1").asDouble(), 1e-5);
    }

    @Test
    void ettWritesMseMaeThePersistenceBaselineAndIntervalFigures() throws Exception {
        JsonNode f = evaluate("--task", "ett", "--horizon", "24", "--epochs", "1", "--hidden", "8");
        assertKeys(f, "mse", "mae", "model_mse", "model_mae", "baseline_mse", "baseline_mae", "coverage", "width");
        // Persistence by hand: z-score on rows [0, 8640), origins 11519 .. 14399-24.
        double[] ot = column(SharedData.data().resolve("ett/ETTh1.csv"), 7);
        double mean = 0;
        for (int i = 0; i < 8640; i++) {
            mean += ot[i] / 8640;
        }
        double var = 0;
        for (int i = 0; i < 8640; i++) {
            var += (ot[i] - mean) * (ot[i] - mean) / 8640;
        }
        double se = 0;
        double ae = 0;
        int n = 0;
        for (int t = 11519; t <= 14399 - 24; t++) {
            for (int k = 1; k <= 24; k++) {
                double e = (ot[t] - ot[t + k]) / Math.sqrt(var);
                se += e * e;
                ae += Math.abs(e);
                n++;
            }
        }
        assertEquals(se / n, f.get("baseline_mse").asDouble(), 1e-9);
        assertEquals(ae / n, f.get("baseline_mae").asDouble(), 1e-9);
        assertTrue(f.get("coverage").asDouble() > 0.5 && f.get("width").asDouble() > 0, f.toString());
    }

    @Test
    void ettTakesInformersLongerHorizons() throws Exception {
        // 720 hours (and 336 below it) train and stream in the test's time at a small size.
        JsonNode f = evaluate("--task", "ett", "--horizon", "720", "--epochs", "1", "--hidden", "4");
        assertEquals(720, f.get("horizon").asInt());
        assertEquals(14_400 - 11_520 - 720 + 1, f.get("windows").asInt());
        assertKeys(f, "mse", "model_mse", "baseline_mse");
        assertEquals(0.1292, f.get("baseline_mse").asDouble(), 5e-5, "persistence at H=720, as computed in Python");
        MethodOptions options = new MethodOptions();
        options.check(336);
        options.check(720);
        SequenceErrorsTest.assertOneLineError(
                SequenceErrorsTest.run(
                        "evaluate", "--data", SharedData.data().toString(), "--task", "ett", "--horizon", "721"),
                "--horizon in [1, 720]");
    }

    @Test
    void taxiWritesMapeAndThePersistenceBaseline() throws Exception {
        Path bundle = tmp.resolve("taxi-bundle");
        JsonNode f = evaluate("--task", "taxi", "--epochs", "1", "--hidden", "8", "--bundle-out", bundle.toString());
        // The bundle it wrote, evaluated without training, gives the same figures.
        assertEquals(f, evaluate("--task", "taxi", "--bundle", bundle.toString()));
        assertKeys(f, "mape", "model_mape", "baseline_mape", "coverage", "width");
        double[] counts = column(SharedData.data().resolve("nyc_taxi/nyc_taxi.csv"), 1);
        double err = 0;
        double sum = 0;
        for (int t = 10000; t < counts.length; t++) {
            err += Math.abs(counts[t - 5] - counts[t]);
            sum += counts[t];
        }
        assertEquals(err / sum, f.get("baseline_mape").asDouble(), 1e-12);
    }

    @Test
    void aMissingOrIncompleteSceneOrEttFileIsAUserError() throws Exception {
        SequenceErrorsTest.assertOneLineError(
                SequenceErrorsTest.run("evaluate", "--task", "ethucy"), "--scene DIR", "train/, val/ and test/");
        Path scene = Files.createDirectories(tmp.resolve("half/train"));
        Files.writeString(scene.resolve("a.txt"), "0\t1\t0.5\t0.5\n");
        SequenceErrorsTest.assertOneLineError(
                SequenceErrorsTest.run(
                        "evaluate",
                        "--task",
                        "ethucy",
                        "--scene",
                        tmp.resolve("half").toString()),
                "val",
                "not a folder of .txt files");
        Path csv = tmp.resolve("short.csv");
        Files.writeString(csv, "date,HUFL,HULL,MUFL,MULL,LUFL,LULL,OT\n2016-07-01 00:00:00,1,2,3,4,5,6,7\n");
        SequenceErrorsTest.assertOneLineError(
                SequenceErrorsTest.run("evaluate", "--task", "ett", "--file", csv.toString()), "14400");
        SequenceErrorsTest.assertOneLineError(
                SequenceErrorsTest.run(
                        "evaluate",
                        "--task",
                        "ett",
                        "--file",
                        tmp.resolve("none.csv").toString()),
                "not found");
        SequenceErrorsTest.assertOneLineError(
                SequenceErrorsTest.run("evaluate", "--task", "ett", "--head", "sideways"), "--head");
        SequenceErrorsTest.assertOneLineError(
                SequenceErrorsTest.run("evaluate", "--task", "ethucy", "--speed-scales", "1,0"), "--speed-scales");
        SequenceErrorsTest.assertOneLineError(
                SequenceErrorsTest.run("evaluate", "--task", "ett", "--bundle", tmp.toString()), "no model.json");
    }

    private static void copyHead(Path from, Path to, int lines) throws Exception {
        Files.createDirectories(to.getParent());
        Files.write(to, Files.readAllLines(from).subList(0, lines));
    }

    /** ADE, FDE and windows of constant velocity on one ETH/UCY file: runs of frames 10 apart, windows of 20. */
    private static double[] constantVelocity(Path file) throws Exception {
        Map<Integer, TreeMap<Integer, double[]>> byPed = new TreeMap<>();
        for (String l : Files.readAllLines(file)) {
            String[] c = l.trim().split("\\s+");
            byPed.computeIfAbsent((int) Double.parseDouble(c[1]), k -> new TreeMap<>())
                    .put(
                            (int) Double.parseDouble(c[0]),
                            new double[] {Double.parseDouble(c[2]), Double.parseDouble(c[3])});
        }
        double ade = 0;
        double fde = 0;
        int windows = 0;
        for (TreeMap<Integer, double[]> frames : byPed.values()) {
            for (int start : frames.keySet()) {
                double[][] w = new double[20][];
                for (int i = 0; i < 20; i++) {
                    w[i] = frames.get(start + 10 * i);
                }
                if (w[19] == null || java.util.Arrays.asList(w).contains(null)) {
                    continue;
                }
                double vx = w[7][0] - w[6][0];
                double vy = w[7][1] - w[6][1];
                double sum = 0;
                double last = 0;
                for (int k = 1; k <= 12; k++) {
                    last = Math.hypot(w[7][0] + k * vx - w[7 + k][0], w[7][1] + k * vy - w[7 + k][1]);
                    sum += last;
                }
                ade += sum / 12;
                fde += last;
                windows++;
            }
        }
        return new double[] {ade / windows, fde / windows, windows};
    }

    /** One numeric column of a CSV, skipping lines that do not parse (headers). */
    private static double[] column(Path csv, int c) throws Exception {
        return Files.readAllLines(csv).stream()
                .map(l -> l.split(","))
                .filter(p -> p.length > c)
                .filter(p -> p[c].matches("-?[0-9.]+"))
                .mapToDouble(p -> Double.parseDouble(p[c]))
                .toArray();
    }
}
