package io.entrysim.check;

import java.util.ArrayList;
import java.util.List;

/**
 * The comments of a {@code .S} file, line by line, in every form such a file uses: {@code /* *}{@code /}
 * (cpp removes them), {@code //} (cpp too) and {@code #} (gas's x86 comment character, which cpp
 * passes through when no directive follows it). Spec keywords are looked for only here, so a
 * spec never changes what the file assembles to. Strings ({@code "..."}) are skipped: a
 * {@code #} or {@code /*} inside one is text, not a comment.
 */
public final class SpecComments {
    private SpecComments() {}

    /**
     * One line's worth of comment text.
     *
     * @param line 1-based line of the file
     * @param column 1-based column where {@code text} starts
     */
    public record Line(int line, int column, String text) {}

    public static List<Line> of(String source) {
        List<Line> out = new ArrayList<>();
        String[] lines = source.split("\n", -1);
        boolean inBlock = false;
        for (int n = 0; n < lines.length; n++) {
            String s = lines[n];
            int i = 0;
            int start = 0;
            boolean inString = false;
            while (i <= s.length()) {
                if (inBlock) {
                    int end = s.indexOf("*/", i);
                    if (end < 0) {
                        out.add(new Line(n + 1, start + 1, s.substring(start)));
                        break;
                    }
                    out.add(new Line(n + 1, start + 1, s.substring(start, end)));
                    inBlock = false;
                    i = end + 2;
                    continue;
                }
                if (i == s.length()) {
                    break;
                }
                char c = s.charAt(i);
                if (inString) {
                    if (c == '\\') {
                        i += 2;
                        continue;
                    }
                    inString = c != '"';
                    i++;
                } else if (c == '"') {
                    inString = true;
                    i++;
                } else if (s.startsWith("/*", i)) {
                    inBlock = true;
                    i += 2;
                    start = i;
                } else if (s.startsWith("//", i)) {
                    out.add(new Line(n + 1, i + 3, s.substring(i + 2)));
                    break;
                } else if (c == '#' && !isDirective(s, i)) {
                    out.add(new Line(n + 1, i + 2, s.substring(i + 1)));
                    break;
                } else {
                    i++;
                }
            }
        }
        return out;
    }

    /** A {@code #} that starts a cpp directive ({@code #include}, {@code #define}, ...) is no comment. */
    private static boolean isDirective(String s, int hash) {
        if (!s.substring(0, hash).isBlank()) {
            return false;
        }
        String rest = s.substring(hash + 1).stripLeading();
        return rest.matches("(include|define|undef|if|ifdef|ifndef|elif|else|endif|error|warning|line|pragma|include_next)\\b.*")
                || rest.matches("\\d.*");
    }
}
