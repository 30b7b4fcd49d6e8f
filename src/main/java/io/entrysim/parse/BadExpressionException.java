package io.entrysim.parse;

/**
 * An expression that cannot be evaluated whatever the symbols are (division by zero, a register
 * used as a number). The message is worded like gas's; callers attach the origin.
 */
public final class BadExpressionException extends RuntimeException {
    public BadExpressionException(String message) {
        super(message, null, false, false);
    }
}
