package io.entrysim.diag;

/** A non-fatal diagnostic about the input ({@code #warning}, extra tokens after a directive, ...). */
public record AsmWarning(Origin origin, String message) {
    /** The warning as the CLI prints it (no trailing newline). */
    public String format() {
        return Diagnostics.format("warning", origin, message);
    }
}
