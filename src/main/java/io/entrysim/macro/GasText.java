package io.entrysim.macro;

/**
 * The small text scanners GNU as (macro.c, read.c) uses on already-scrubbed statements: names,
 * blanks, commas and macro-argument strings. Kept byte-for-byte faithful to gas 2.40 because
 * argument splitting quirks (blanks end an argument, brackets keep them, quotes are stripped) are
 * exactly what kernel macros rely on.
 */
final class GasText {
    private GasText() {}

    /** gas {@code is_name_beginner} for x86 ELF: letters, {@code _ . $} and bytes >= 0x80. */
    static boolean isNameBeginner(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '.' || c == '$' || c >= 0x80;
    }

    static boolean isNamePart(char c) {
        return isNameBeginner(c) || (c >= '0' && c <= '9');
    }

    static boolean isBlank(char c) {
        return c == ' ' || c == '\t';
    }

    /** End of the name starting at {@code idx} (gas {@code get_token}); {@code idx} when none. */
    static int tokenEnd(String s, int idx) {
        if (idx < s.length() && isNameBeginner(s.charAt(idx))) {
            idx++;
            while (idx < s.length() && isNamePart(s.charAt(idx))) {
                idx++;
            }
        }
        return idx;
    }

    static int skipBlanks(String s, int idx) {
        while (idx < s.length() && isBlank(s.charAt(idx))) {
            idx++;
        }
        return idx;
    }

    /** gas {@code sb_skip_comma}: blanks, at most one comma, blanks. */
    static int skipComma(String s, int idx) {
        idx = skipBlanks(s, idx);
        if (idx < s.length() && s.charAt(idx) == ',') {
            idx++;
        }
        return skipBlanks(s, idx);
    }

    /** gas {@code ISSEP}: characters that end the scan for a {@code keyword=} argument. */
    static boolean isArgSeparator(char c) {
        return c == ' ' || c == '\t' || c == ',' || c == '"' || c == ';' || c == ')' || c == '(';
    }

    private static boolean isRadixLetter(char c) {
        return "bBqQhHdD".indexOf(c) >= 0;
    }

    /**
     * gas {@code get_any_string}: one macro argument starting at {@code idx} (after blanks). A
     * leading double-quoted string is unquoted ({@code ""} inside is a quote, {@code \"} is kept
     * as written); otherwise the argument runs to a blank or comma, except that blanks inside
     * {@code ( )} / {@code [ ]} are kept, and quotes inside are copied through.
     *
     * @return the index after the argument
     */
    static int anyString(String s, int idx, StringBuilder out) {
        out.setLength(0);
        int n = s.length();
        idx = skipBlanks(s, idx);
        if (idx >= n) {
            return idx;
        }
        if (n > idx + 2 && s.charAt(idx + 1) == '\'' && isRadixLetter(s.charAt(idx))) {
            while (idx < n && !isArgSeparator(s.charAt(idx))) {
                out.append(s.charAt(idx++));
            }
            return idx;
        }
        if (s.charAt(idx) == '"') {
            return quotedStrings(s, idx, out);
        }
        // Bracket stack exactly like gas's in_br buffer: only the innermost kind can be closed.
        StringBuilder brackets = new StringBuilder();
        while (idx < n) {
            char c = s.charAt(idx);
            boolean inBrackets = brackets.length() > 0;
            if ((!inBrackets && isBlank(c)) || c == ',') {
                break;
            }
            switch (c) {
                case '"', '\'' -> {
                    out.append(c);
                    idx++;
                    while (idx < n && s.charAt(idx) != c) {
                        out.append(s.charAt(idx++));
                    }
                    if (idx == n) {
                        return idx;
                    }
                }
                case '(', '[' -> brackets.append(c);
                case ')' -> popIf(brackets, '(');
                case ']' -> popIf(brackets, '[');
                default -> { }
            }
            out.append(c);
            idx++;
        }
        return idx;
    }

    private static void popIf(StringBuilder stack, char open) {
        int last = stack.length() - 1;
        if (last >= 0 && stack.charAt(last) == open) {
            stack.setLength(last);
        }
    }

    /** gas {@code getstring}: consecutive double-quoted strings, unquoted and concatenated. */
    private static int quotedStrings(String s, int idx, StringBuilder out) {
        int n = s.length();
        while (idx < n && s.charAt(idx) == '"') {
            idx++;
            boolean escaped = false;
            while (idx < n) {
                escaped = s.charAt(idx - 1) == '\\' ? !escaped : false;
                char c = s.charAt(idx);
                if (escaped && c == '"') {
                    out.append(c);
                    idx++;
                    continue;
                }
                if (c == '"') {
                    idx++;
                    if (idx >= n || s.charAt(idx) != '"') {
                        break;
                    }
                }
                out.append(s.charAt(idx));
                idx++;
            }
        }
        return idx;
    }

    /**
     * A string literal at {@code idx} (after blanks), decoded as gas's {@code demand_copy_C_string}
     * reads it ({@link GasStrings#string}).
     *
     * @return the decoded text and the index after the closing quote, or null when no string
     */
    static GasStrings.Decoded cString(String s, int idx) {
        idx = skipBlanks(s, idx);
        return idx < s.length() && s.charAt(idx) == '"' ? GasStrings.string(s, idx) : null;
    }

    /** gas's diagnostic for trailing text: {@code junk at end of line, first unrecognized character is `X'}. */
    static String junkMessage(char c) {
        return "junk at end of line, first unrecognized character is `" + c + "'";
    }
}
