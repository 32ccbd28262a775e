package io.lstmforecast.config;

import java.io.Serializable;
import java.util.Map;

/**
 * A job definition (jobs/NAME/job.yaml) as the packages below {@code job} read it. The definition is a tree of
 * records, each holding its keys' defaults and checks beside its fields: {@link Kafka} with its {@link Topics},
 * {@link EventFormat}, {@link EventTime}, {@link Batching}, {@link Alerts}, {@link Intervals}, {@link Checkpoints},
 * {@link Delivery} and {@link Limits}. Its root is the job package's JobConfig, which adds what is checked against
 * a model (the model, its horizon and baseline); Kafka and Topics are declared here, so that JobConfig.Kafka and
 * JobConfig.Topics name them.
 */
public interface JobSettings {
    String name();

    Kafka kafka();

    EventFormat event();

    Delivery delivery();

    Limits limits();

    /** Job settings {@code kafka.*}: where events come from and forecasts go. {@code properties} pass through to every client. */
    record Kafka(String bootstrapServers, String groupId, String start, Topics topics, Map<String, String> properties)
            implements Serializable {
        public static final Setting<String> BOOTSTRAP_SERVERS = Setting.text("kafka.bootstrap-servers", "127.0.0.1:9092");
        /** Default: lstm-forecast-NAME. */
        public static final Setting<String> GROUP_ID = Setting.text("kafka.group-id", null);
        public static final Setting<String> START = Setting.oneOf("kafka.start", "committed", "earliest", "latest", "committed");
        public static final String PROPERTIES = "kafka.properties";

        public Kafka {
            START.check(start);
        }

        /** The consumer group of job {@code name} when the job file names none. */
        public static String defaultGroupId(String name) {
            return "lstm-forecast-" + name;
        }
    }

    /** Job settings {@code kafka.topics.*}; each defaults to a name derived from the job's (see {@link #of}). */
    record Topics(String events, String forecasts, String deadLetters, String alerts, String models, String modelStatus)
            implements Serializable {
        public static final String KEY = "kafka.topics";
        public static final String[] KEYS = {"events", "forecasts", "dead-letters", "alerts", "models", "model-status"};

        /**
         * The topics of job {@code name}, given in the order of {@link #KEYS}, a null taking its default: NAME.events,
         * NAME.forecasts, EVENTS.dlq, NAME.alerts, NAME.models, NAME.models.status.
         */
        public static Topics of(String name, String... given) {
            String events = given[0] != null ? given[0] : name + ".events";
            return new Topics(events, orElse(given[1], name + ".forecasts"), orElse(given[2], events + ".dlq"),
                    orElse(given[3], name + ".alerts"), orElse(given[4], name + ".models"),
                    orElse(given[5], name + ".models.status"));
        }

        private static String orElse(String value, String fallback) {
            return value != null ? value : fallback;
        }
    }
}
