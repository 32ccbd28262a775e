package io.lstmforecast.cli;

import io.lstmforecast.job.JobConfig;
import io.lstmforecast.local.EmbeddedKafka;
import io.lstmforecast.local.LocalDemo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = {
            "Runs everything on this machine: a real Kafka broker in this process, the job's generator,",
            "the forecast job in Flink's local environment with its web UI, and a live console of the forecasts."
        })
final class DemoCommand implements Callable<Integer> {
    @Mixin
    JobOptions jobOptions;

    @Mixin
    EmbeddedFeedOptions feed;

    @Option(
            names = "--rate",
            defaultValue = "100",
            description = "Generated events per second (0: as fast as possible). Default: ${DEFAULT-VALUE}.")
    double rate;

    @Option(
            names = "--events",
            defaultValue = "0",
            description =
                    "Generate this many events, run the job to the end of them and exit (0: run live until Ctrl-C or --duration).")
    long events;

    @Option(
            names = "--out",
            paramLabel = "FILE.jsonl",
            description = "With --events: write every forecast record to this file, one JSON per line.")
    Path out;

    @Option(
            names = "--duration",
            defaultValue = "0",
            description = "Live mode: stop after this long, e.g. 60s (0: until Ctrl-C).")
    String duration;

    @Option(
            names = "--web-port",
            defaultValue = "8081",
            description = "Port of Flink's web UI. Default: ${DEFAULT-VALUE}.")
    int webPort;

    @Option(
            names = "--view-port",
            defaultValue = "8090",
            description =
                    "Live mode: port of the web view of the forecasts (0: no web view). Default: ${DEFAULT-VALUE}.")
    int viewPort;

    @Mixin
    ViewOptions viewOptions;

    /** Set by a caller in this process (the browser test) to end live mode; the web view's address once it runs. */
    final AtomicBoolean stopRequested = new AtomicBoolean();

    volatile String viewUrl;

    @Override
    public Integer call() throws Exception {
        if (out != null && events == 0) {
            throw new UserInputException(
                    "--out needs --events N: the file is written once N events have been forecast");
        }
        Duration limit = io.lstmforecast.config.Durations.parse(duration);
        if (limit == null) {
            throw new UserInputException("--duration must look like 60s, 10m or 1h, not '" + duration + "'");
        }
        Path work = Files.createTempDirectory("lstm-forecast-demo-");
        try (EmbeddedKafka kafka = LocalDemo.startKafka(feed.kafkaPort)) {
            JobConfig job = jobOptions.load(LocalDemo.jobOverrides(kafka, work));
            LocalDemo demo = new LocalDemo(job, kafka, feed.entities, feed.seed);
            if (events > 0) {
                return demo.batch(events, out);
            }
            LocalDemo.ViewStarter view =
                    viewPort == 0 ? null : j -> viewOptions.start(j, viewPort, Long.MAX_VALUE, true);
            return demo.live(new LocalDemo.Live(rate, webPort, view, limit), stopRequested, url -> viewUrl = url);
        }
    }
}
