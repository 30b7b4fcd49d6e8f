package io.entrysim.source;

import java.util.List;

/** The tokens of a directive line after its name: input that ends at the end of the line, always. */
final class DirectiveTokens implements CppMacroExpander.TokenSource {
    private final List<PpToken> tokens;
    private final PpToken eol;
    private int index;
    private boolean lastWasEol;

    DirectiveTokens(List<PpToken> tokens, PpToken eol) {
        this.tokens = tokens;
        this.eol = eol;
    }

    @Override
    public PpToken next(CppMacroExpander.ReadMode mode) {
        if (index < tokens.size()) {
            lastWasEol = false;
            return tokens.get(index++);
        }
        lastWasEol = true;
        return eol;
    }

    @Override
    public void backup() {
        if (!lastWasEol) {
            index--;
        }
    }
}
