package io.lstmforecast.cli;

import io.lstmforecast.config.Topics;
import io.lstmforecast.job.JobConfig;
import io.lstmforecast.view.ForecastView;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import picocli.CommandLine.Option;

/** The web view's options shared by `view` and `demo`, and starting the view of a job with them. */
final class ViewOptions {
    @Option(
            names = "--view-host",
            defaultValue = "127.0.0.1",
            description = "Address the page listens on (0.0.0.0: every interface). Default: ${DEFAULT-VALUE}.")
    String host;

    @Option(
            names = "--view-token",
            paramLabel = "TOKEN",
            description = "Credential every request to the page must carry (Authorization: Bearer TOKEN, or open"
                    + " /?token=TOKEN once for a cookie): 16 to 256 letters, digits or -._~, e.g. $(openssl rand -hex 16)."
                    + " Required when --view-host is not a loopback address.")
    String token;

    @Option(
            names = "--view-insecure",
            description = "Serve a --view-host beyond loopback without a credential: every entity's data to anyone"
                    + " who can reach the port.")
    boolean insecure;

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

    /**
     * The token the view requires, or null: none. A page on an address other machines can reach serves every
     * entity's data, so it needs a token or an explicit --view-insecure.
     */
    String requiredToken() {
        if (token != null) {
            if (!token.matches("[A-Za-z0-9._~-]{16,256}")) {
                throw new UserInputException("--view-token must be 16 to 256 letters, digits or -._~ (so it can stand"
                        + " in an address as ?token=), e.g. $(openssl rand -hex 16)");
            }
            return token;
        }
        if (insecure || loopback(host)) {
            return null;
        }
        throw new UserInputException("--view-host " + host + " can be reached from other machines and the page"
                + " shows every entity's data: give --view-token TOKEN (e.g. $(openssl rand -hex 16)), or"
                + " --view-insecure to serve it without a credential");
    }

    private static boolean loopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            throw new UserInputException(
                    "--view-host " + host + " is not an address of this machine: " + e.getMessage());
        }
    }

    /** The view of the job's topics on host:port; {@code orFreePort}: on a free port when that one is taken (the demo). */
    ForecastView start(JobConfig job, int port, long rewind, boolean orFreePort) throws IOException {
        if (window < 1 || maxEntities < 1) {
            throw new UserInputException("--view-window and --view-entities must be at least 1");
        }
        String required = requiredToken();
        Topics t = job.kafka().topics();
        try {
            return ForecastView.start(
                    job.kafka().bootstrapServers(),
                    job.kafka().properties(),
                    new ForecastView.Topics(t.events(), t.forecasts(), t.deadLetters(), t.alerts()),
                    new ForecastView.Settings(host, port, window, maxEntities, rewind, required));
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
