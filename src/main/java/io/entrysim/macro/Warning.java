package io.entrysim.macro;

import io.entrysim.diag.Diagnostics;
import io.entrysim.diag.Origin;

/**
 * A non-fatal message from macro processing: a gas warning ({@code .warning}, purging an unknown
 * macro, ...) or the text of a {@code .print} directive, which gas writes to stdout as is.
 */
public record Warning(Origin origin, String message, Kind kind) {
    public enum Kind { WARNING, PRINT }

    public Warning(Origin origin, String message) {
        this(origin, message, Kind.WARNING);
    }

    /** As the CLI shows it: {@code file:line:col: warning: ...} with the macro chain, or the bare {@code .print} text. */
    public String format() {
        return kind == Kind.PRINT ? message : Diagnostics.format("warning", origin, message);
    }
}
