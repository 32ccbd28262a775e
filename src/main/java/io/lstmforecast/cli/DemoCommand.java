package io.lstmforecast.cli;

import io.lstmforecast.event.Forecast;
import io.lstmforecast.generate.EventGenerator;
import io.lstmforecast.generate.Generators;
import io.lstmforecast.io.KafkaClients;
import io.lstmforecast.io.OutputJson;
import io.lstmforecast.job.ForecastJobRunner;
import io.lstmforecast.job.JobConfig;
import io.lstmforecast.local.ConsoleView;
import io.lstmforecast.local.EmbeddedKafka;
import io.lstmforecast.local.EventFeed;
import io.lstmforecast.view.ForecastView;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.KafkaProducer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Runs everything on this machine: a real Kafka broker in this process, the job's generator,",
            "the forecast job in Flink's local environment with its web UI, and a live console of the forecasts."})
final class DemoCommand implements Callable<Integer> {
    private static final long DAY = 86_400_000L;

    @Mixin
    JobOptions jobOptions;

    @Option(names = "--entities", defaultValue = "20", description = "Entities the generator simulates. Default: ${DEFAULT-VALUE}.")
    int entities;

    @Option(names = "--rate", defaultValue = "100", description = "Generated events per second (0: as fast as possible). Default: ${DEFAULT-VALUE}.")
    double rate;

    @Option(names = "--events", defaultValue = "0",
            description = "Generate this many events, run the job to the end of them and exit (0: run live until Ctrl-C or --duration).")
    long events;

    @Option(names = "--out", paramLabel = "FILE.jsonl", description = "With --events: write every forecast record to this file, one JSON per line.")
    Path out;

    @Option(names = "--duration", defaultValue = "0", description = "Live mode: stop after this long, e.g. 60s (0: until Ctrl-C).")
    String duration;

    @Option(names = "--kafka-port", defaultValue = "9092", description = "Port of the embedded broker; a free one is used if taken. Default: ${DEFAULT-VALUE}.")
    int kafkaPort;

    @Option(names = "--web-port", defaultValue = "8081", description = "Port of Flink's web UI. Default: ${DEFAULT-VALUE}.")
    int webPort;

    @Option(names = "--view-port", defaultValue = "8090",
            description = "Live mode: port of the web view of the forecasts (0: no web view). Default: ${DEFAULT-VALUE}.")
    int viewPort;

    @Mixin
    ViewOptions viewOptions;

    @Option(names = "--seed", defaultValue = "1", description = "Generator seed. Default: ${DEFAULT-VALUE}.")
    long seed;

    /** Set by a caller in this process (the browser test) to end live mode; the web view's address once it runs. */
    final AtomicBoolean stopRequested = new AtomicBoolean();
    volatile String viewUrl;

    /** Generated event time starts 30 days back, so events pass the parser's range check and stay in the past for a while. */
    static long generatorStart() {
        long now = System.currentTimeMillis();
        return now - now % 60_000L - 30 * DAY;
    }

    @Override
    public Integer call() throws Exception {
        if (out != null && events == 0) {
            throw new UserInputException("--out needs --events N: the file is written once N events have been forecast");
        }
        Duration limit = io.lstmforecast.job.JobConfigLoader.parseDuration(duration);
        if (limit == null) {
            throw new UserInputException("--duration must look like 60s, 10m or 1h, not '" + duration + "'");
        }
        Path work = Files.createTempDirectory("lstm-forecast-demo-");
        try (EmbeddedKafka kafka = startKafka()) {
            JobConfig job = jobOptions.load(List.of(
                    "kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                    "kafka.start=earliest",
                    "kafka.group-id=demo-" + System.currentTimeMillis(),
                    // Exactly-once output becomes visible when a checkpoint commits: check-point often in a demo.
                    "checkpoint.interval=1s",
                    "checkpoint.storage=" + work.resolve("checkpoints").toUri()));
            JobConfig.Topics t = job.kafka().topics();
            kafka.createTopics(2, t.events(), t.forecasts(), t.deadLetters(), t.alerts(), t.modelStatus());
            kafka.createTopics(1, t.models());
            System.out.println("Kafka broker (KRaft) listening on " + kafka.bootstrapServers() + "; topics " + t);
            return events > 0 ? batch(job, kafka) : live(job, kafka, limit);
        }
    }

    private EmbeddedKafka startKafka() throws Exception {
        try {
            return EmbeddedKafka.start(kafkaPort);
        } catch (Exception e) {
            System.out.println("port " + kafkaPort + " is taken; starting the broker on a free port");
            return EmbeddedKafka.start(0);
        }
    }

    private Stream<io.lstmforecast.generate.GeneratedEvent> generated(JobConfig job) {
        EventGenerator g = Generators.forJob(job.name(), entities, seed, generatorStart());
        return Stream.generate(g::next);
    }

    /** --events N: produce N events, run the job to their end, write the committed forecasts. */
    private int batch(JobConfig job, EmbeddedKafka kafka) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(kafka.bootstrapServers(), Map.of())) {
            EventFeed.send(producer, job.kafka().topics().events(), job.event(), generated(job).iterator(), events, 0, () -> true);
        }
        System.out.println("produced " + events + " events; running the job to their end...");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(ForecastJobRunner.flinkConfiguration(job));
        ForecastJobRunner.addTo(env, job, true);
        env.execute("lstm-forecast demo " + job.name());

        List<byte[]> forecasts = new ArrayList<>();
        AtomicLong deadLetters = new AtomicLong();
        long deadline = System.currentTimeMillis() + 60_000;
        KafkaClients.follow(kafka.bootstrapServers(), Map.of(), job.kafka().topics().forecasts(), true, true,
                r -> forecasts.add(r.value()), () -> forecasts.size() < events && System.currentTimeMillis() < deadline);
        KafkaClients.follow(kafka.bootstrapServers(), Map.of(), job.kafka().topics().deadLetters(), true, true,
                r -> deadLetters.incrementAndGet(), () -> forecasts.size() + deadLetters.get() < events
                        && System.currentTimeMillis() < deadline);
        if (out != null) {
            try (BufferedWriter w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
                for (byte[] f : forecasts) {
                    w.write(new String(f, StandardCharsets.UTF_8));
                    w.newLine();
                }
            }
        }
        System.out.printf("%d events in, %d forecasts and %d dead letters out%s%n", events, forecasts.size(),
                deadLetters.get(), out == null ? "" : "; forecasts written to " + out);
        return forecasts.size() + deadLetters.get() == events ? 0 : 1;
    }

    /** Live: generator, job with web UI and console until Ctrl-C or the duration. */
    private int live(JobConfig job, EmbeddedKafka kafka, Duration limit) throws Exception {
        Configuration conf = ForecastJobRunner.flinkConfiguration(job);
        conf.set(RestOptions.PORT, webPort);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(conf);
        ForecastJobRunner.addTo(env, job, false);
        JobClient client = env.executeAsync("lstm-forecast demo " + job.name());
        AtomicBoolean running = new AtomicBoolean(true);
        Thread stopper = new Thread(() -> running.set(false));
        Runtime.getRuntime().addShutdownHook(stopper);
        ConsoleView view = new ConsoleView(30);
        JobConfig.Topics t = job.kafka().topics();
        ForecastView web = viewPort == 0 ? null : viewOptions.start(job, viewPort, Long.MAX_VALUE, true);
        viewUrl = web == null ? null : web.url();
        List<Thread> threads = List.of(
                daemon("generator", () -> {
                    try (KafkaProducer<byte[], byte[]> p = KafkaClients.producer(kafka.bootstrapServers(), Map.of())) {
                        EventFeed.send(p, t.events(), job.event(), generated(job).iterator(), 0, rate, running::get);
                    }
                }),
                daemon("forecasts", () -> KafkaClients.follow(kafka.bootstrapServers(), Map.of(), t.forecasts(), true, true,
                        r -> view.onForecast(OutputJson.parseForecast(r.value())), running::get)),
                daemon("dead letters", () -> KafkaClients.follow(kafka.bootstrapServers(), Map.of(), t.deadLetters(), true,
                        true, r -> view.onDeadLetter(), running::get)),
                daemon("alerts", () -> KafkaClients.follow(kafka.bootstrapServers(), Map.of(), t.alerts(), true, true,
                        r -> view.onAlert(), running::get)));
        String header = "lstm-forecast demo: job " + job.name() + " | Kafka " + kafka.bootstrapServers()
                + " | Flink web UI http://127.0.0.1:" + webPort + (web == null ? "" : " | forecasts " + web.url())
                + " | Ctrl-C to stop\n"
                + "attach: java -jar target/lstm-forecast.jar tail --bootstrap " + kafka.bootstrapServers()
                + " --topic " + t.forecasts() + "\n"
                + "or:     java -jar target/lstm-forecast.jar view --job " + job.name() + " --bootstrap "
                + kafka.bootstrapServers() + " --port 8091\n";
        long end = limit.isZero() ? Long.MAX_VALUE : System.currentTimeMillis() + limit.toMillis();
        while (running.get() && !stopRequested.get() && System.currentTimeMillis() < end) {
            view.draw(System.out, header);
            Thread.sleep(1000);
        }
        running.set(false);
        client.cancel().get();
        if (web != null) {
            web.close();
        }
        for (Thread th : threads) {
            th.join(5000);
        }
        if (!limit.isZero()) {
            Runtime.getRuntime().removeShutdownHook(stopper);
        }
        System.out.println("stopped after " + view.forecastCount() + " forecasts");
        return 0;
    }

    private interface Task {
        void run() throws Exception;
    }

    private static Thread daemon(String name, Task task) {
        Thread th = new Thread(() -> {
            try {
                task.run();
            } catch (Exception e) {
                System.err.println(name + " stopped: " + e);
            }
        }, name);
        th.setDaemon(true);
        th.start();
        return th;
    }
}
