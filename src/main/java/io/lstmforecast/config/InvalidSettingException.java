package io.lstmforecast.config;

/**
 * A job setting that cannot be used: {@code job setting KEY PROBLEM}, where the problem says what to write instead.
 * Thrown by the checks of the config records, so a record built in code fails as one read from a job file does.
 */
public final class InvalidSettingException extends IllegalArgumentException {
    private final String problem;

    public InvalidSettingException(String key, String problem) {
        super("job setting " + key + " " + problem);
        this.problem = problem;
    }

    /** What is wrong and what to write instead, without the key: for a flag that sets the same value. */
    public String problem() {
        return problem;
    }
}
