package io.entrysim.diag;

import java.util.List;

/**
 * A user-facing error about the input (any stage). Carries the origin so the front door can
 * print {@code file:line:col: error: message} followed by one {@code in expansion of macro NAME
 * at file:line} line per macro site. No stack trace: this is a diagnostic, not a bug.
 */
public class AsmError extends RuntimeException {
    private final Origin origin;

    public AsmError(Origin origin, String message) {
        super(message, null, false, false);
        this.origin = origin;
    }

    public Origin origin() {
        return origin;
    }

    /** The diagnostic exactly as the CLI prints it (no trailing newline). */
    public String format() {
        return Diagnostics.format("error", origin, getMessage());
    }
}
