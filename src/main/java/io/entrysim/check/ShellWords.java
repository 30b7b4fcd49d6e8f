package io.entrysim.check;

import io.entrysim.diag.AsmError;
import io.entrysim.diag.Origin;
import java.util.ArrayList;
import java.util.List;

/**
 * A RUN line split into words as a POSIX shell splits a command line, so the options read as
 * they would be typed after {@code entrysim run FILE}: blanks separate words, {@code '...'}
 * quotes literally, {@code "..."} quotes with backslash escapes. Words keep their quotes
 * ({@link #split}) until brace expansion, which leaves quoted braces alone, is done; then
 * {@link #unquote} removes them.
 */
public final class ShellWords {
    private ShellWords() {}

    public static List<String> split(String line, Origin where) {
        List<String> out = new ArrayList<>();
        StringBuilder word = null;
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote == 0 && Character.isWhitespace(c)) {
                if (word != null) {
                    out.add(word.toString());
                    word = null;
                }
                continue;
            }
            if (word == null) {
                word = new StringBuilder();
            }
            word.append(c);
            if (quote == 0 && (c == '\'' || c == '"')) {
                quote = c;
            } else if (quote == '"' && c == '\\' && i + 1 < line.length()) {
                word.append(line.charAt(++i));
            } else if (c == quote) {
                quote = 0;
            }
        }
        if (quote != 0) {
            throw new AsmError(where, "unterminated " + quote + " quote in the ENTRYSIM-RUN line");
        }
        if (word != null) {
            out.add(word.toString());
        }
        return out;
    }

    /** The word with its quotes removed (and {@code "..."}'s escapes resolved). */
    public static String unquote(String word) {
        StringBuilder sb = new StringBuilder();
        char quote = 0;
        for (int i = 0; i < word.length(); i++) {
            char c = word.charAt(i);
            if (quote == 0 && (c == '\'' || c == '"')) {
                quote = c;
            } else if (c == quote) {
                quote = 0;
            } else if (quote == '"' && c == '\\' && i + 1 < word.length()) {
                sb.append(word.charAt(++i));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /** {@code word} as a shell would need it typed: quoted only when it must be. */
    public static String quote(String word) {
        if (!word.isEmpty() && word.matches("[A-Za-z0-9_./:=,+@%-]+")) {
            return word;
        }
        return "'" + word.replace("'", "'\\''") + "'";
    }
}
