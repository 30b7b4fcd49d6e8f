package io.entrysim.source;

import io.entrysim.source.PpToken.Kind;

/**
 * Builds one output line from the expanded token stream with gcc's spacing (c-ppoutput's
 * scan_translation_unit): a space where the source had one, and at macro-expansion boundaries
 * only where the expansion's source had one or two tokens would otherwise lex as one. So
 * {@code %__percpu_seg:var} prints as {@code %gs:var}, never {@code % gs : var}.
 */
final class LinePrinter {
    private final StringBuilder out = new StringBuilder();
    private PpToken prev;
    private PpToken source;
    private boolean avoidPaste;

    LinePrinter(String indent) {
        out.append(indent);
    }

    void add(PpToken token) {
        if (token.kind() == Kind.PADDING) {
            avoidPaste = true;
            if (source == null || (!source.has(PpToken.PREV_WHITE) && token.source() == null)) {
                source = token.source();
            }
            return;
        }
        boolean space;
        if (avoidPaste) {
            PpToken src = source == null ? token : source;
            space = src.has(PpToken.PREV_WHITE) || (prev != null && TokenSpelling.avoidPaste(prev, token));
        } else {
            space = token.has(PpToken.PREV_WHITE);
        }
        if (space && prev != null) { // the line's own indentation stands in for leading space
            out.append(' ');
        }
        out.append(token.text());
        avoidPaste = false;
        source = null;
        prev = token;
    }

    boolean isEmpty() {
        return prev == null;
    }

    String text() {
        return out.toString();
    }
}
