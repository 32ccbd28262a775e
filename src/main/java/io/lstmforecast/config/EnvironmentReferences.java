package io.lstmforecast.config;

import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ${NAME}} in a setting's value stands for the environment variable NAME, so that secrets stay out of job
 * files.
 */
public final class EnvironmentReferences {
    private static final Pattern REFERENCE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");

    private EnvironmentReferences() {}

    /**
     * {@code value} of setting {@code key} with its references replaced. Every value read so goes into {@code secrets}:
     * the job's description masks it wherever it appears, whatever its key is called.
     */
    public static String expand(String value, String key, Set<String> secrets) {
        Matcher m = REFERENCE.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String env = System.getenv(m.group(1));
            Setting.require(
                    env != null, key, "refers to ${" + m.group(1) + "} but that environment variable is not set");
            if (!env.isEmpty()) {
                secrets.add(env);
            }
            m.appendReplacement(out, Matcher.quoteReplacement(env));
        }
        return m.appendTail(out).toString();
    }
}
