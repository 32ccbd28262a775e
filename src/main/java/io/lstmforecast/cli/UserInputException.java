package io.lstmforecast.cli;

/** A command line or input file that cannot be used; the message says what is wrong and how to fix it. */
public class UserInputException extends RuntimeException {
    public UserInputException(String message) {
        super(message);
    }
}
