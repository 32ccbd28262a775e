package io.lstmforecast.generate;

/** The generator of each shipped job. */
public final class Generators {
    private Generators() {}

    /**
     * @param startMillis event time of the first round; the demo uses "now" so events pass the
     *                    parser's range check and forecasts appear in real time
     */
    public static EventGenerator forJob(String job, int entities, long seed, long startMillis) {
        return switch (job) {
            case "sensors" -> new SensorGenerator(entities, seed, startMillis, 60_000L);
            case "tracks" -> new TrackGenerator(entities, seed, startMillis, 400L);
            default -> throw new IllegalArgumentException("no generator for job '" + job + "'; use sensors or tracks");
        };
    }
}
