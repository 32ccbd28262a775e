package io.lstmforecast.config;

import java.io.Serializable;
import java.time.Duration;

/**
 * Job settings {@code delivery} and {@code transaction-timeout}: whether outputs are written exactly once (Kafka
 * transactions that commit with each checkpoint) or at least once.
 */
public record Delivery(boolean exactlyOnce, Duration transactionTimeout) implements Serializable {
    public static final String EXACTLY_ONCE = "exactly-once";
    public static final Setting<String> GUARANTEE = Setting.oneOf(
                    "delivery", EXACTLY_ONCE, EXACTLY_ONCE, "at-least-once")
            .doc("`exactly-once` (Kafka transactions committed on checkpoints) or `at-least-once`.");
    /** Must outlive a checkpoint interval plus a restart: transactions commit on checkpoint completion. */
    public static final Setting<Duration> TRANSACTION_TIMEOUT = Setting.duration(
                    "transaction-timeout", Duration.ofMinutes(15), Duration.ofSeconds(1), Duration.ofDays(7))
            .doc(
                    "Kafka transaction timeout of the exactly-once sinks (the broker's `transaction.max.timeout.ms` must allow it).");

    public Delivery {
        TRANSACTION_TIMEOUT.checkFloor(transactionTimeout);
    }

    public static Delivery read(SettingsTree t) {
        return of(t.get(GUARANTEE), t.get(TRANSACTION_TIMEOUT));
    }

    /** The setting {@code delivery} as written in a job file. */
    public static Delivery of(String guarantee, Duration transactionTimeout) {
        return new Delivery(GUARANTEE.check(guarantee).equals(EXACTLY_ONCE), transactionTimeout);
    }
}
