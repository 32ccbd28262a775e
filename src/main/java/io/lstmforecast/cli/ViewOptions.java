package io.lstmforecast.cli;

import io.lstmforecast.config.Topics;
import io.lstmforecast.job.JobConfig;
import io.lstmforecast.view.ForecastView;
import java.io.IOException;
import java.net.BindException;
import picocli.CommandLine.Option;

/** The web view's options shared by `view` and `demo`, and starting the view of a job with them. */
final class ViewOptions {
    @Option(
            names = "--view-host",
            defaultValue = "127.0.0.1",
            description = "Address the page listens on (0.0.0.0: every interface). Default: ${DEFAULT-VALUE}.")
    String host;

    @Option(
            names = "--view-window",
            defaultValue = "500",
            paramLabel = "N",
            description = "Forecasts (and alerts) kept per entity. Default: ${DEFAULT-VALUE}.")
    int window;

    @Option(
            names = "--view-entities",
            defaultValue = "2000",
            paramLabel = "N",
            description = "Entities kept; the least recently updated one makes room. Default: ${DEFAULT-VALUE}.")
    int maxEntities;

    /** The view of the job's topics on host:port; {@code orFreePort}: on a free port when that one is taken (the demo). */
    ForecastView start(JobConfig job, int port, long rewind, boolean orFreePort) throws IOException {
        if (window < 1 || maxEntities < 1) {
            throw new UserInputException("--view-window and --view-entities must be at least 1");
        }
        Topics t = job.kafka().topics();
        try {
            return ForecastView.start(
                    job.kafka().bootstrapServers(),
                    job.kafka().properties(),
                    new ForecastView.Topics(t.events(), t.forecasts(), t.deadLetters(), t.alerts()),
                    new ForecastView.Settings(host, port, window, maxEntities, rewind));
        } catch (BindException e) {
            if (orFreePort && port != 0) {
                System.out.println("port " + port + " is taken; starting the web view on a free port");
                return start(job, 0, rewind, false);
            }
            throw new UserInputException("port " + port + " on " + host + " is taken: choose another one with "
                    + (port == 0 ? "--view-host" : "--port / --view-port") + " (0: a free port)");
        }
    }
}
