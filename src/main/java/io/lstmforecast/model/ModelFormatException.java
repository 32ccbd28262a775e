package io.lstmforecast.model;

/**
 * A model file or bundle that cannot be used. The message is one sentence a user can act on:
 * it names the file or tensor and what was expected.
 */
public class ModelFormatException extends RuntimeException {
    public ModelFormatException(String message) {
        super(message);
    }

    public ModelFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
