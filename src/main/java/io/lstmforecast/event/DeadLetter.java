package io.lstmforecast.event;

/** A record that produced no forecast: its original bytes and origin, why, and a human-readable detail. */
public record DeadLetter(DeadLetterReason reason, String detail, RecordOrigin origin) implements java.io.Serializable {}
