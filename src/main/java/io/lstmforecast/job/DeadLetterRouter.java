package io.lstmforecast.job;

import io.lstmforecast.event.DeadLetter;
import io.lstmforecast.event.DeadLetterReason;
import io.lstmforecast.event.Event;
import io.lstmforecast.event.ParsedRecord;
import java.util.EnumMap;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/** Passes parsed events on and sends records that failed parsing to the dead-letter side output, counted by reason. */
public final class DeadLetterRouter extends ProcessFunction<ParsedRecord, Event> {
    public static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("dead-letters") {};

    private transient DeadLetterCounters counters;

    @Override
    public void open(OpenContext context) {
        counters = new DeadLetterCounters(getRuntimeContext().getMetricGroup());
    }

    @Override
    public void processElement(ParsedRecord record, Context ctx, Collector<Event> out) {
        if (record.isEvent()) {
            out.collect(record.event());
        } else {
            counters.count(record.deadLetter().reason());
            ctx.output(DEAD_LETTERS, record.deadLetter());
        }
    }

    /** One counter per reason, as {@code deadLetters.<reason>} in the operator's metric group. */
    static final class DeadLetterCounters {
        private final Map<DeadLetterReason, Counter> byReason = new EnumMap<>(DeadLetterReason.class);

        DeadLetterCounters(MetricGroup group) {
            MetricGroup dl = group.addGroup("deadLetters");
            for (DeadLetterReason r : DeadLetterReason.values()) {
                byReason.put(r, dl.counter(r.id()));
            }
        }

        void count(DeadLetterReason reason) {
            byReason.get(reason).inc();
        }
    }
}
