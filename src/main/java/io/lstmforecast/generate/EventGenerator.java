package io.lstmforecast.generate;

/** An endless, deterministic stream of events for one of the shipped jobs. */
public interface EventGenerator {
    /** The next event; every entity advances in time, one step per round over all entities. */
    GeneratedEvent next();
}
