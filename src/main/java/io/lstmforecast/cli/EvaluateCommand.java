package io.lstmforecast.cli;

import io.lstmforecast.eval.EthUcyEvaluation;
import io.lstmforecast.eval.EttEvaluation;
import io.lstmforecast.eval.Evaluation;
import io.lstmforecast.eval.EvaluationInputException;
import io.lstmforecast.eval.EvaluationOutputs;
import io.lstmforecast.eval.NabEvaluation;
import io.lstmforecast.eval.ShippedJobEvaluation;
import io.lstmforecast.eval.TaxiEvaluation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "evaluate",
        mixinStandardHelpOptions = true,
        description = {
            "Trains on a public data set's training part and evaluates through the streaming code path",
            "(per-entity state advanced one event at a time, as the job does), printing a Markdown table."
        })
final class EvaluateCommand implements Callable<Integer> {
    @Option(
            names = "--task",
            required = true,
            description = {
                "taxi (NYC taxi, 5 steps ahead), ett (ETT hourly, OT, Informer split),",
                "ethucy (an ETH/UCY scene folder, 8 -> 12; eth and zara1 are DATA/ethucy/eth and DATA/ethucy/zara1),",
                "nab (residual alerts on a NAB corpus)."
            })
    String task;

    @Option(
            names = "--scene",
            paramLabel = "DIR",
            description =
                    "ethucy: a folder with train/, val/ and test/ holding ETH/UCY .txt files (frame ped x y, tab-separated).")
    Path scene;

    @Option(
            names = "--file",
            paramLabel = "CSV",
            description = "ett: an ETT hourly CSV (date,...,OT). Default: DATA/ett/ETTh1.csv.")
    Path ettFile;

    @Option(
            names = "--horizon",
            defaultValue = "24",
            description = "ett: steps (hours) forecast. Default: ${DEFAULT-VALUE}.")
    int horizon;

    @Mixin
    MethodOptions method;

    @Option(
            names = "--data",
            defaultValue = "data",
            description = "The data folder (the repository's data/, see data/README.md). Default: ${DEFAULT-VALUE}.")
    Path data;

    @Option(names = "--report", paramLabel = "FILE.md", description = "Also append the table to this Markdown file.")
    Path report;

    @Option(names = "--bundle-out", paramLabel = "DIR", description = "Write the trained bundle here.")
    Path bundleOut;

    @Option(
            names = "--bundle",
            paramLabel = "DIR",
            description =
                    "taxi, ett, ethucy, eth, zara1: evaluate this bundle, written by --bundle-out of the same task,"
                            + " instead of training one (the figures of a seeded run, without its training time).")
    Path bundleIn;

    @Option(names = "--plots", paramLabel = "DIR", description = "Also draw PNG plots into this folder.")
    Path plots;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the task's figures to this JSON file.")
    Path json;

    @Option(
            names = "--corpus",
            paramLabel = "DIR",
            description = "nab: a folder of NAB CSV files (timestamp,value). Default: DATA/nab/realKnownCause.")
    Path corpus;

    @Option(
            names = "--labels",
            paramLabel = "FILE",
            description =
                    "nab: NAB's combined_windows.json; files are looked up as <folder name>/<file name>. Default: DATA/nab/labels/combined_windows.json.")
    Path labels;

    @Option(
            names = "--job",
            defaultValue = "sensors",
            paramLabel = "JOB",
            description = "job: a job file, its directory or a name under jobs/ whose model is scored against the job's"
                    + " baseline on held-out generated data. Default: ${DEFAULT-VALUE}.")
    String job;

    @Option(
            names = "--events",
            defaultValue = "60000",
            description = "job: generated events streamed. Default: ${DEFAULT-VALUE}.")
    long events;

    @Override
    public Integer call() throws Exception {
        if (!Files.isDirectory(data)) {
            throw new UserInputException("--data " + data + " is not a folder; point it at shared/data");
        }
        method.check(horizon);
        if (bundleIn != null && !Files.isRegularFile(bundleIn.resolve("model.json"))) {
            throw new UserInputException(
                    "--bundle " + bundleIn + " holds no model.json; give a folder --bundle-out wrote");
        }
        Evaluation evaluation;
        try {
            evaluation = evaluate(new EvaluationOutputs(bundleOut, plots, System.err, bundleIn));
        } catch (EvaluationInputException e) {
            throw new UserInputException(e.getMessage());
        }
        System.out.println(evaluation.table());
        if (report != null) {
            evaluation.appendTo(report);
        }
        if (json != null) {
            evaluation.writeFigures(json);
        }
        return 0;
    }

    private Evaluation evaluate(EvaluationOutputs out) throws Exception {
        return switch (task) {
            case "taxi" -> TaxiEvaluation.run(data, method.series(), out);
            case "ett" ->
                EttEvaluation.run(
                        ettFile != null ? ettFile : data.resolve("ett/ETTh1.csv"), horizon, method.series(), out);
            case "ethucy" -> {
                if (scene == null) {
                    throw new UserInputException(
                            "--task ethucy needs --scene DIR: a folder with train/, val/ and test/ of ETH/UCY .txt files");
                }
                yield EthUcyEvaluation.run(EthUcyEvaluation.scene(scene, "--scene"), method.track(), out);
            }
            case "eth", "zara1" ->
                EthUcyEvaluation.run(
                        EthUcyEvaluation.scene(data.resolve("ethucy").resolve(task), "--task " + task),
                        method.track(),
                        out);
            case "nab" ->
                NabEvaluation.run(
                        corpus != null ? corpus : data.resolve("nab/realKnownCause"),
                        labels != null ? labels : data.resolve("nab/labels/combined_windows.json"),
                        method.epochs != null ? method.epochs : NabEvaluation.DEFAULT_EPOCHS,
                        method.seed,
                        out);
            case "job" -> {
                JobOptions options = new JobOptions();
                options.job = job;
                yield ShippedJobEvaluation.run(options.load(List.of()), method.seed, events);
            }
            default ->
                throw new UserInputException(
                        "--task must be taxi, ett, ethucy, eth, zara1, nab or job, not '" + task + "'");
        };
    }
}
