package io.lstmforecast.local;

import io.lstmforecast.config.Topics;
import io.lstmforecast.generate.EventGenerator;
import io.lstmforecast.generate.GeneratedEvent;
import io.lstmforecast.generate.Generators;
import io.lstmforecast.io.KafkaClients;
import io.lstmforecast.io.OutputJson;
import io.lstmforecast.job.ForecastJobRunner;
import io.lstmforecast.job.JobConfig;
import io.lstmforecast.view.ForecastView;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.KafkaProducer;

/**
 * Everything on this machine: a job on a broker in this process, fed by the job's generator, run in Flink's local
 * environment, either to the end of N events or live with its web UI and a console of the forecasts.
 */
public final class LocalDemo {
    private static final long DAY = 86_400_000L;

    private final JobConfig job;
    private final EmbeddedKafka kafka;
    private final int entities;
    private final long seed;

    /** Starts the view of the job's topics in live mode, on a free port if {@code port} is taken. */
    public interface ViewStarter {
        ForecastView start(JobConfig job) throws IOException;
    }

    /** The live run's settings: generated events per second (0: as fast as possible), Flink's web UI port, the view. */
    public record Live(double rate, int webPort, ViewStarter view, Duration limit) {}

    /** Creates the job's topics on {@code kafka}; the job must name it as its broker (see {@link #jobOverrides}). */
    public LocalDemo(JobConfig job, EmbeddedKafka kafka, int entities, long seed) throws Exception {
        this.job = job;
        this.kafka = kafka;
        this.entities = entities;
        this.seed = seed;
        Topics t = job.kafka().topics();
        kafka.createTopics(2, t.events(), t.forecasts(), t.deadLetters(), t.alerts(), t.modelStatus());
        kafka.createTopics(1, t.models());
        System.out.println("Kafka broker (KRaft) listening on " + kafka.bootstrapServers() + "; topics " + t);
    }

    /** The broker on {@code port}, or on a free one (said on the console) when that is taken. */
    public static EmbeddedKafka startKafka(int port) throws Exception {
        try {
            return EmbeddedKafka.start(port);
        } catch (Exception e) {
            System.out.println("port " + port + " is taken; starting the broker on a free port");
            return EmbeddedKafka.start(0);
        }
    }

    /** The job settings a demo overrides: this broker, read from the start, and frequent checkpoints under {@code work}. */
    public static List<String> jobOverrides(EmbeddedKafka kafka, Path work) {
        return List.of(
                "kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                "kafka.start=earliest",
                "kafka.group-id=demo-" + System.currentTimeMillis(),
                // Exactly-once output becomes visible when a checkpoint commits: check-point often in a demo.
                "checkpoint.interval=1s",
                "checkpoint.storage=" + work.resolve("checkpoints").toUri());
    }

    /** Generated event time starts 30 days back, so events pass the parser's range check and stay in the past for a while. */
    public static long generatorStart() {
        long now = System.currentTimeMillis();
        return now - now % 60_000L - 30 * DAY;
    }

    private Stream<GeneratedEvent> generated() {
        EventGenerator g = Generators.forJob(job.name(), entities, seed, generatorStart());
        return Stream.generate(g::next);
    }

    /** Produces {@code events} events, runs the job to their end, writes the committed forecasts to {@code out} (or not: null). */
    public int batch(long events, Path out) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(kafka.bootstrapServers(), Map.of())) {
            EventFeed.send(
                    producer,
                    job.kafka().topics().events(),
                    job.event(),
                    generated().iterator(),
                    events,
                    0,
                    () -> true);
        }
        System.out.println("produced " + events + " events; running the job to their end...");
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(ForecastJobRunner.flinkConfiguration(job));
        ForecastJobRunner.addTo(env, job, true);
        env.execute("lstm-forecast demo " + job.name());

        List<byte[]> forecasts = new ArrayList<>();
        AtomicLong deadLetters = new AtomicLong();
        long deadline = System.currentTimeMillis() + 60_000;
        KafkaClients.follow(
                kafka.bootstrapServers(),
                Map.of(),
                job.kafka().topics().forecasts(),
                true,
                true,
                r -> forecasts.add(r.value()),
                () -> forecasts.size() < events && System.currentTimeMillis() < deadline);
        KafkaClients.follow(
                kafka.bootstrapServers(),
                Map.of(),
                job.kafka().topics().deadLetters(),
                true,
                true,
                r -> deadLetters.incrementAndGet(),
                () -> forecasts.size() + deadLetters.get() < events && System.currentTimeMillis() < deadline);
        if (out != null) {
            try (BufferedWriter w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
                for (byte[] f : forecasts) {
                    w.write(new String(f, StandardCharsets.UTF_8));
                    w.newLine();
                }
            }
        }
        System.out.printf(
                "%d events in, %d forecasts and %d dead letters out%s%n",
                events, forecasts.size(), deadLetters.get(), out == null ? "" : "; forecasts written to " + out);
        return forecasts.size() + deadLetters.get() == events ? 0 : 1;
    }

    /**
     * Live: generator, job with web UI, view and console until Ctrl-C, the limit (zero: none) or {@code stopRequested};
     * {@code onViewUrl} hears the view's address (null: no view) once it runs.
     */
    public int live(Live settings, AtomicBoolean stopRequested, Consumer<String> onViewUrl) throws Exception {
        Configuration conf = ForecastJobRunner.flinkConfiguration(job);
        conf.set(RestOptions.PORT, settings.webPort());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(conf);
        ForecastJobRunner.addTo(env, job, false);
        JobClient client = env.executeAsync("lstm-forecast demo " + job.name());
        AtomicBoolean running = new AtomicBoolean(true);
        Thread stopper = new Thread(() -> running.set(false));
        Runtime.getRuntime().addShutdownHook(stopper);
        ConsoleView view = new ConsoleView(30);
        Topics t = job.kafka().topics();
        ForecastView web = settings.view() == null ? null : settings.view().start(job);
        onViewUrl.accept(web == null ? null : web.url());
        List<Thread> threads = List.of(
                daemon("generator", () -> {
                    try (KafkaProducer<byte[], byte[]> p = KafkaClients.producer(kafka.bootstrapServers(), Map.of())) {
                        EventFeed.send(
                                p, t.events(), job.event(), generated().iterator(), 0, settings.rate(), running::get);
                    }
                }),
                daemon(
                        "forecasts",
                        () -> KafkaClients.follow(
                                kafka.bootstrapServers(),
                                Map.of(),
                                t.forecasts(),
                                true,
                                true,
                                r -> view.onForecast(OutputJson.parseForecast(r.value())),
                                running::get)),
                daemon(
                        "dead letters",
                        () -> KafkaClients.follow(
                                kafka.bootstrapServers(),
                                Map.of(),
                                t.deadLetters(),
                                true,
                                true,
                                r -> view.onDeadLetter(),
                                running::get)),
                daemon(
                        "alerts",
                        () -> KafkaClients.follow(
                                kafka.bootstrapServers(),
                                Map.of(),
                                t.alerts(),
                                true,
                                true,
                                r -> view.onAlert(),
                                running::get)));
        String header = "lstm-forecast demo: job " + job.name() + " | Kafka " + kafka.bootstrapServers()
                + " | Flink web UI http://127.0.0.1:" + settings.webPort()
                + (web == null ? "" : " | forecasts " + web.url())
                + " | Ctrl-C to stop\n"
                + "attach: java -jar target/lstm-forecast.jar tail --bootstrap " + kafka.bootstrapServers()
                + " --topic " + t.forecasts() + "\n"
                + "or:     java -jar target/lstm-forecast.jar view --job " + job.name() + " --bootstrap "
                + kafka.bootstrapServers() + " --port 8091\n";
        Duration limit = settings.limit();
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
        Thread th = new Thread(
                () -> {
                    try {
                        task.run();
                    } catch (Exception e) {
                        System.err.println(name + " stopped: " + e);
                    }
                },
                name);
        th.setDaemon(true);
        th.start();
        return th;
    }
}
