package io.lstmforecast.config;

import java.io.Serializable;
import java.util.Map;

/** Job settings {@code kafka.*}: where events come from and forecasts go. {@code properties} pass through to every client. */
public record Kafka(
        String bootstrapServers, String groupId, String start, Topics topics, Map<String, String> properties)
        implements Serializable {
    public static final Setting<String> BOOTSTRAP_SERVERS = Setting.text("kafka.bootstrap-servers", "127.0.0.1:9092")
            .doc("Kafka bootstrap servers of every client of the job.");
    /** Default: lstm-forecast-NAME. */
    public static final Setting<String> GROUP_ID = Setting.text("kafka.group-id", null)
            .doc("Consumer group (offsets also live in Flink checkpoints); default `lstm-forecast-NAME`.");

    public static final Setting<String> START = Setting.oneOf(
                    "kafka.start", "committed", "earliest", "latest", "committed")
            .doc(
                    "Where the events source starts: `earliest`, `latest`, or `committed` (the group's committed offsets, falling back to earliest).");
    public static final String PROPERTIES = "kafka.properties";

    public Kafka {
        START.check(start);
    }

    /** The settings of job {@code name}: its topics, group id and properties default to names derived from it. */
    public static Kafka read(SettingsTree t, String name) {
        Topics topics = Topics.read(t, name);
        String groupId = t.get(GROUP_ID);
        return new Kafka(
                t.get(BOOTSTRAP_SERVERS),
                groupId != null ? groupId : defaultGroupId(name),
                t.get(START),
                topics,
                t.stringMap(PROPERTIES));
    }

    /** The consumer group of job {@code name} when the job file names none. */
    public static String defaultGroupId(String name) {
        return "lstm-forecast-" + name;
    }
}
