package io.lstmforecast.event;

/**
 * What parsing a Kafka record gives: exactly one of an event or a dead letter. Parsing happens in
 * the source so that watermarks are generated per Kafka partition from the events' own time.
 */
public record ParsedRecord(Event event, DeadLetter deadLetter) implements java.io.Serializable {
    public static ParsedRecord of(Event e) {
        return new ParsedRecord(e, null);
    }

    public static ParsedRecord of(DeadLetter d) {
        return new ParsedRecord(null, d);
    }

    public boolean isEvent() {
        return event != null;
    }
}
