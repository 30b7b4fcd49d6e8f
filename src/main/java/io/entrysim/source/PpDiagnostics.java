package io.entrysim.source;
import io.entrysim.diag.AsmError;

/** How the preprocessor's parts report problems at a token of the file being read. */
interface PpDiagnostics {
    /** An error to throw at (line, col) of the current file. */
    AsmError error(int line, int col, String message);

    void warning(int line, int col, String message);

    default AsmError error(PpToken at, String message) {
        return error(at.line(), at.col(), message);
    }

    default void warning(PpToken at, String message) {
        warning(at.line(), at.col(), message);
    }
}
