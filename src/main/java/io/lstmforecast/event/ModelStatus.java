package io.lstmforecast.event;

/**
 * The outcome of a model control message, written to the status topic.
 *
 * @param status  accepted or rejected
 * @param reason  why it was rejected, in one sentence; null when accepted
 * @param source  the path, URI or "inline" that named the bundle
 */
public record ModelStatus(String name, String version, String status, String reason, String source, long time)
        implements java.io.Serializable {
    public static ModelStatus accepted(String name, String version, String source, long time) {
        return new ModelStatus(name, version, "accepted", null, source, time);
    }

    public static ModelStatus rejected(String name, String version, String reason, String source, long time) {
        return new ModelStatus(name, version, "rejected", reason, source, time);
    }
}
