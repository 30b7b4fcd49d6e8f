package io.entrysim.diag;

/** A place in a source file: 1-based line and column. {@code file} is the path as the user sees it. */
public record SourcePos(String file, int line, int column) {
    /** {@code file:line:col}, the form GNU tools print. */
    @Override
    public String toString() {
        return file + ":" + line + ":" + column;
    }

    /** {@code file:line}, for macro-chain lines and traces. */
    public String fileLine() {
        return file + ":" + line;
    }
}
