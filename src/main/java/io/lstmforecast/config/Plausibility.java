package io.lstmforecast.config;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Job settings for values that parse as finite floats but cannot be real readings: a per-feature range
 * ({@code event.range}, e.g. {@code {temperature: [-50, 150]}}) and a bound on how far a value may lie from the
 * serving model's feature mean in its feature standard deviations ({@code event.max-abs-z}). An event outside either
 * goes to the dead-letter topic as {@code out_of_range} and leaves its entity's state untouched.
 *
 * <p>The default of {@code event.max-abs-z}, 1000, lets the largest spikes in real data pass with a wide margin and
 * refuses float sentinels; the measurement behind it is in docs/operations.md.
 *
 * @param ranges  feature name to [lowest, highest] allowed value, inclusive; features not named have no range
 * @param maxAbsZ most standard deviations (of the model's normalisation) a value may lie from its feature's mean
 */
public record Plausibility(Map<String, double[]> ranges, double maxAbsZ) implements Serializable {
    /** A mapping of feature name to [lowest, highest]; none when absent. */
    public static final String RANGE = "event.range";

    public static final Setting<Double> MAX_ABS_Z = Setting.number("event.max-abs-z", 1000, 1, 1e38)
            .doc(
                    "Most standard deviations (of the serving model's normalisation) a value may lie from its feature's mean; a value beyond goes to the dead-letter topic as `out_of_range`. `event.range` (`{feature: [lowest, highest]}`) adds a fixed range per feature. See [operations.md, reliability](operations.md#reliability-and-hostile-input).");
    public static final Plausibility DEFAULT = new Plausibility(Map.of(), MAX_ABS_Z.fallback());

    /** event.range (feature name to [lowest, highest]; each name a known key once read) and event.max-abs-z. */
    public static Plausibility read(SettingsTree t) {
        com.fasterxml.jackson.databind.JsonNode v = t.node(RANGE);
        Map<String, double[]> ranges = new LinkedHashMap<>();
        if (v != null && !v.isNull()) {
            Setting.require(
                    v.isObject(), RANGE, "must be a mapping of feature to [lowest, highest], e.g. {x: [-50, 150]}");
            for (var it = v.fields(); it.hasNext(); ) {
                var f = it.next();
                var lh = f.getValue();
                Setting.require(
                        lh.isArray()
                                && lh.size() == 2
                                && lh.get(0).isNumber()
                                && lh.get(1).isNumber(),
                        RANGE + "." + f.getKey(),
                        "must be [lowest, highest], two numbers such as [-50, 150]");
                ranges.put(
                        f.getKey(),
                        new double[] {lh.get(0).asDouble(), lh.get(1).asDouble()});
                t.known().add(RANGE + "." + f.getKey());
            }
        }
        return new Plausibility(ranges, t.get(MAX_ABS_Z));
    }

    public Plausibility {
        ranges = new LinkedHashMap<>(ranges);
        for (Map.Entry<String, double[]> r : ranges.entrySet()) {
            double[] lh = r.getValue();
            Setting.require(
                    lh.length == 2 && lh[0] <= lh[1],
                    RANGE + "." + r.getKey(),
                    "must be [lowest, highest] with lowest <= highest, e.g. [-50, 150]");
        }
        MAX_ABS_Z.checkFloor(maxAbsZ);
    }
}
