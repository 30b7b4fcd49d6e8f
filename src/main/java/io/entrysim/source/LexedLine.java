package io.entrysim.source;

import java.util.List;

/**
 * One logical line: the tokens between two newlines that are neither spliced away by a
 * backslash nor inside a comment. {@code indent} reproduces the first token's column (tabs kept,
 * other characters before it blanked). {@code lastLine}/{@code eolCol} locate the newline that ends
 * it, which is where libcpp reports "no more tokens" errors.
 */
record LexedLine(List<PpToken> tokens, String indent, int lastLine, int eolCol) {
    int firstLine() {
        return tokens.get(0).line();
    }

    boolean isDirective() {
        return tokens.get(0).is("#");
    }

    PpToken eof() {
        return PpToken.eof(lastLine, eolCol);
    }
}
