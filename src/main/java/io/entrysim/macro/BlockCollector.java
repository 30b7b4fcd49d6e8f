package io.entrysim.macro;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Reads the body of {@code .macro} (up to the matching {@code .endm}) or of
 * {@code .rept}/{@code .irp}/{@code .irpc} (up to the matching {@code .endr}) without
 * interpreting it, like gas's {@code buffer_and_nest}: only the first directive of a statement
 * counts, after any {@code name:} labels, and a label in front of the closing directive stays in
 * the body.
 */
final class BlockCollector {
    enum Kind { MACRO, REPEAT }

    private BlockCollector() {}

    /**
     * @param source next statement of the current input, null at its end
     * @return the body statements, or null when the input ended first
     */
    static List<Segment> collect(Kind kind, Supplier<Segment> source) {
        List<Segment> body = new ArrayList<>();
        int depth = 1;
        for (Segment s = source.get(); s != null; s = source.get()) {
            String text = s.text();
            int labelsEnd = labelsEnd(text);
            int i = GasText.skipBlanks(text, labelsEnd);
            if (i < text.length() && text.charAt(i) == '.') {
                i++;
                if (opens(kind, text, i)) {
                    depth++;
                }
                if (directiveAt(text, i, kind == Kind.MACRO ? "endm" : "endr") && --depth == 0) {
                    if (labelsEnd > 0) {
                        body.add(s.upTo(labelsEnd));
                    }
                    return body;
                }
            }
            body.add(s);
        }
        return null;
    }

    /** Index after the leading {@code name:} labels (only symbol names, as gas skips them). */
    private static int labelsEnd(String text) {
        int lineStart = 0;
        int i = GasText.skipBlanks(text, 0);
        while (i < text.length() && GasText.isNameBeginner(text.charAt(i))) {
            i = GasText.skipBlanks(text, GasText.tokenEnd(text, i));
            if (i >= text.length() || text.charAt(i) != ':') {
                break;
            }
            lineStart = ++i;
            i = GasText.skipBlanks(text, i);
        }
        return lineStart;
    }

    private static boolean opens(Kind kind, String text, int i) {
        if (kind == Kind.MACRO) {
            return directiveAt(text, i, "macro");
        }
        for (String opener : new String[] {"irepc", "irep", "irpc", "rept", "irp", "rep"}) {
            if (text.regionMatches(true, i, opener, 0, opener.length())) {
                return directiveAt(text, i, opener);
            }
        }
        return false;
    }

    /** {@code word} (any case) at {@code i}, not followed by a name character. */
    static boolean directiveAt(String text, int i, String word) {
        int end = i + word.length();
        return text.regionMatches(true, i, word, 0, word.length())
                && (end == text.length() || !GasText.isNamePart(text.charAt(end)));
    }
}
