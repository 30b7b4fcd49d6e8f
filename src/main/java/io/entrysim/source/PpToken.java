package io.entrysim.source;

/**
 * One preprocessing token, as gcc's libcpp sees it. {@code line}/{@code col} are the physical
 * position in the file being read (tokens copied out of a macro body take the position of the
 * macro name they replace, which is what {@code __LINE__} and diagnostics want).
 * {@code PADDING} tokens carry no text: like libcpp's padding they only record, through
 * {@code source}, whether the output needs a space at a macro-expansion boundary.
 */
record PpToken(Kind kind, String text, int flags, int line, int col, int argIndex, PpToken source) {
    enum Kind { NAME, NUMBER, CHAR, STRING, HEADER_NAME, PUNCT, OTHER, MACRO_ARG, PADDING, EOF }

    static final int PREV_WHITE = 1;
    static final int NO_EXPAND = 2;
    static final int PASTE_LEFT = 4;
    static final int STRINGIFY_ARG = 8;
    /** First token of a logical line (a '#' there ends a macro argument, as in libcpp). */
    static final int BOL = 16;

    /** The padding libcpp calls {@code pfile->avoid_paste}: a boundary with no source token. */
    static final PpToken AVOID_PASTE = new PpToken(Kind.PADDING, "", 0, 0, 0, -1, null);

    static PpToken of(Kind kind, String text, int flags, int line, int col) {
        return new PpToken(kind, text, flags, line, col, -1, null);
    }

    static PpToken padding(PpToken source) {
        return new PpToken(Kind.PADDING, "", 0, 0, 0, -1, source);
    }

    static PpToken eof(int line, int col) {
        return new PpToken(Kind.EOF, "", 0, line, col, -1, null);
    }

    boolean has(int flag) {
        return (flags & flag) != 0;
    }

    boolean is(String punct) {
        return kind == Kind.PUNCT && text.equals(punct);
    }

    boolean isName(String name) {
        return kind == Kind.NAME && text.equals(name);
    }

    PpToken withFlags(int newFlags) {
        return newFlags == flags ? this : new PpToken(kind, text, newFlags, line, col, argIndex, source);
    }

    PpToken plus(int flag) {
        return withFlags(flags | flag);
    }

    PpToken minus(int flag) {
        return withFlags(flags & ~flag);
    }

    /** The same token shown at another place (the expansion point of a macro). */
    PpToken at(int newLine, int newCol) {
        return newLine == line && newCol == col ? this : new PpToken(kind, text, flags, newLine, newCol, argIndex, source);
    }

    @Override
    public String toString() {
        return kind == Kind.PADDING ? "<pad>" : kind == Kind.EOF ? "<eof>" : text;
    }
}
