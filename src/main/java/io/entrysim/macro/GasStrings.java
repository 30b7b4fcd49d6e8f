package io.entrysim.macro;

/**
 * GNU as 2.40's escape decoding, one decoder for every place gas decodes alike.
 *
 * <p>{@link #string} is read.c's {@code next_char_of_string}, which serves both {@code stringer}
 * ({@code .ascii}, {@code .asciz}, {@code .string}) and {@code demand_copy_string} /
 * {@code demand_copy_C_string} ({@code .print}, {@code .error}, {@code .warning},
 * {@code .ifeqs}/{@code .ifnes}, section names). Checked against {@code as} 2.40 (see
 * GasEscapeDifferentialTest): {@code \b \f \n \r \t \v}; {@code \\} and {@code \"} are themselves;
 * a digit starts up to three <em>decimal</em> digits accumulated in base 8 ({@code \8} is 8,
 * {@code \18} is 16, {@code \777} is 0xff), low byte kept; {@code \x}/{@code \X} takes every hex
 * digit that follows, low byte kept ({@code \x41b} is 0x1b); any other escaped character stands
 * for itself.
 *
 * <p>Where gas really decodes differently:
 * <ul>
 *   <li>character constants ({@code 'c}) are decoded by the input scrubber, app.c's
 *       {@code process_escape}: only {@code \b \f \n \r \t}; everything else after the backslash
 *       ({@code \v}, digits, {@code x}) stands for itself — {@link #character};</li>
 *   <li>{@code demand_copy_C_string} (not {@code stringer}) then rejects a string containing a NUL:
 *       "this string may not contain '\0'" (see {@code Messages.demandString}).</li>
 * </ul>
 */
public final class GasStrings {
    private GasStrings() {}

    /** A decoded string and the index just after its closing quote (or the end of the text). */
    public record Decoded(String value, int end) {}

    /**
     * Decodes the string literal whose opening quote is at {@code quote}, up to the closing
     * unescaped quote or the end of {@code s}.
     */
    public static Decoded string(String s, int quote) {
        if (quote >= s.length() || s.charAt(quote) != '"') {
            throw new IllegalArgumentException("no string at " + quote + " in " + s);
        }
        int n = s.length();
        int i = quote + 1;
        StringBuilder out = new StringBuilder(n - i);
        while (i < n && s.charAt(i) != '"') {
            char c = s.charAt(i++);
            if (c != '\\' || i >= n) {
                out.append(c);
                continue;
            }
            char e = s.charAt(i++);
            switch (e) {
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'v' -> out.append('\u000b');
                case 'x', 'X' -> {
                    int value = 0;
                    while (i < n && Character.digit(s.charAt(i), 16) >= 0 && s.charAt(i) < 0x80) {
                        value = (value * 16 + Character.digit(s.charAt(i++), 16)) & 0xff;
                    }
                    out.append((char) value);
                }
                default -> {
                    if (e >= '0' && e <= '9') {
                        int value = e - '0';
                        for (int k = 1; k < 3 && i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9'; k++) {
                            value = value * 8 + (s.charAt(i++) - '0');
                        }
                        out.append((char) (value & 0xff));
                    } else {
                        out.append(e);
                    }
                }
            }
        }
        return new Decoded(out.toString(), i < n ? i + 1 : i);
    }

    /**
     * The value of a character constant as lexed ({@code 'c}, {@code 'c'}, {@code '\n}): app.c's
     * {@code process_escape} knows {@code \b \f \n \r \t}; any other escaped character stands for
     * itself.
     */
    public static long character(String text) {
        char c = text.charAt(1);
        if (c != '\\') {
            return c & 0xff;
        }
        return switch (text.charAt(2)) {
            case 'b' -> '\b';
            case 'f' -> '\f';
            case 'n' -> '\n';
            case 'r' -> '\r';
            case 't' -> '\t';
            default -> text.charAt(2) & 0xff;
        };
    }
}
