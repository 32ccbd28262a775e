package io.lstmforecast.eval;

import java.io.IOException;

/**
 * A data set, scene folder or job that an evaluation cannot use; the message says what is wrong and how to fix it.
 * The command line shows it as a user error rather than a failure.
 */
public class EvaluationInputException extends IOException {
    public EvaluationInputException(String message) {
        super(message);
    }
}
