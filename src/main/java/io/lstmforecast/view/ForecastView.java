package io.lstmforecast.view;

import io.lstmforecast.io.KafkaClients;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The live view of one job: a thread per topic follows its records (read_committed, so only what the job committed)
 * into a {@link ForecastStore}, and a {@link ViewServer} shows the store in the browser.
 */
public final class ForecastView implements AutoCloseable {
    /** The topics the view follows; the events and dead-letter topics only for their counts. */
    public record Topics(String events, String forecasts, String deadLetters, String alerts) {}

    /**
     * How much the view keeps and where it starts reading: {@code rewind} records per partition back from the end;
     * {@code token}: the credential every request must carry (null: none), see {@link ViewServer}.
     */
    public record Settings(String host, int port, int window, int maxEntities, long rewind, String token) {}

    private final ForecastStore store;
    private final ViewServer server;
    private final List<Thread> followers = new ArrayList<>();
    private volatile boolean running = true;

    private ForecastView(ForecastStore store, ViewServer server) {
        this.store = store;
        this.server = server;
    }

    public static ForecastView start(String bootstrap, Map<String, String> kafkaProperties, Topics topics, Settings s)
            throws IOException {
        ForecastStore store = new ForecastStore(s.window(), s.maxEntities());
        ForecastView view = new ForecastView(store, ViewServer.start(store, s.host(), s.port(), s.token()));
        view.follow(bootstrap, kafkaProperties, topics.events(), s.rewind(), r -> store.onEvent());
        view.follow(bootstrap, kafkaProperties, topics.forecasts(), s.rewind(), r -> store.onForecast(r.value()));
        view.follow(bootstrap, kafkaProperties, topics.deadLetters(), s.rewind(), r -> store.onDeadLetter());
        view.follow(bootstrap, kafkaProperties, topics.alerts(), s.rewind(), r -> store.onAlert(r.value()));
        return view;
    }

    private void follow(
            String bootstrap,
            Map<String, String> properties,
            String topic,
            long rewind,
            Consumer<ConsumerRecord<byte[], byte[]>> onRecord) {
        Thread t = new Thread(
                () -> {
                    try {
                        KafkaClients.follow(bootstrap, properties, topic, rewind, true, onRecord, () -> running);
                    } catch (RuntimeException e) {
                        // A missing topic or a lost broker stops this topic only; the page shows why.
                        store.onError("cannot follow " + topic + ": " + e.getMessage());
                        System.err.println("view: cannot follow " + topic + ": " + e);
                    }
                },
                "view " + topic);
        t.setDaemon(true);
        t.start();
        followers.add(t);
    }

    public String url() {
        return server.url();
    }

    public int port() {
        return server.port();
    }

    public ForecastStore store() {
        return store;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        server.close();
        for (Thread t : followers) {
            t.join(5000);
        }
    }
}
