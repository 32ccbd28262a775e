package io.lstmforecast.cli;

import io.lstmforecast.job.JobConfig;
import io.lstmforecast.view.ForecastView;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "view",
        mixinStandardHelpOptions = true,
        description =
                "Serves a live web page of a running job's forecasts: follows its forecast, alert, dead-letter and "
                        + "event topics (read_committed) and shows each entity's errors, skill and chart at http://127.0.0.1:PORT/.")
final class ViewCommand implements Callable<Integer> {
    @Mixin
    JobOptions jobOptions;

    @Mixin
    ViewOptions viewOptions;

    @Option(
            names = "--port",
            defaultValue = "8090",
            paramLabel = "PORT",
            description = "Port of the page (0: a free one). Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(
            names = "--history",
            defaultValue = "2000",
            paramLabel = "N",
            description = "Start N records per partition back from the end of each topic. Default: ${DEFAULT-VALUE}.")
    long history;

    @Option(
            names = "--from-beginning",
            description = "Read each topic from its oldest record instead (counts then cover the whole topic).")
    boolean fromBeginning;

    @Override
    public Integer call() throws Exception {
        if (port < 0 || port > 65535 || history < 0) {
            throw new UserInputException("--port must be 0..65535 and --history at least 0");
        }
        JobConfig job = jobOptions.load(List.of());
        ForecastView view = viewOptions.start(job, port, fromBeginning ? Long.MAX_VALUE : history, false);
        System.out.println("view of job " + job.name() + " (Kafka "
                + job.kafka().bootstrapServers() + ") at " + view.url()
                + (viewOptions.token == null ? "" : " (open it once as " + view.url() + "?token=TOKEN)")
                + " | Ctrl-C to stop");
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown));
        stopped.await();
        view.close();
        return 0;
    }
}
