package io.entrysim.source;

import io.entrysim.source.CppMacroExpander.ReadMode;
import java.util.ArrayList;
import java.util.List;

/**
 * The unexpanded tokens of one output line. When a function-like macro looks for its {@code (}
 * or collects arguments past the end of the line, following lines of the same file are drawn in,
 * as gcc does; their text then belongs to this output line.
 */
final class TextLineSource implements CppMacroExpander.TokenSource {
    /** Where continuation lines come from. */
    interface MoreLines {
        /** The next line if it starts with '(' (consumed), else null (nothing consumed). */
        LexedLine takeLineStartingWithParen();

        /** The next active text line of the same file, directives processed on the way; null at its end. */
        LexedLine nextLineForArguments();
    }

    private final MoreLines more;
    private final List<PpToken> tokens;
    private PpToken eol;
    private int index;
    private boolean lastWasEol;

    TextLineSource(LexedLine line, MoreLines more) {
        this.more = more;
        this.tokens = new ArrayList<>(line.tokens());
        this.eol = line.eof();
    }

    @Override
    public PpToken next(ReadMode mode) {
        if (index < tokens.size()) {
            lastWasEol = false;
            return tokens.get(index++);
        }
        LexedLine line = switch (mode) {
            case PAREN_LOOKAHEAD -> more.takeLineStartingWithParen();
            case ARGUMENTS -> more.nextLineForArguments();
            case NORMAL -> null;
        };
        if (line == null) {
            lastWasEol = true;
            return eol;
        }
        List<PpToken> added = line.tokens();
        // A newline inside an argument list is white space there.
        tokens.add(mode == ReadMode.ARGUMENTS ? added.get(0).plus(PpToken.PREV_WHITE) : added.get(0));
        tokens.addAll(added.subList(1, added.size()));
        eol = line.eof();
        lastWasEol = false;
        return tokens.get(index++);
    }

    @Override
    public void backup() {
        if (!lastWasEol) {
            index--;
        }
    }
}
