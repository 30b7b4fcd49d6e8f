package io.entrysim.macro;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The x86 GNU as pre-processor ("app", gas/app.c) applied to one logical line: strips
 * {@code #}, leading-{@code /} and C comments, splits at {@code ;}, turns {@code 'c} character
 * constants into decimal, and squeezes whitespace the way gas does. The whitespace rules matter:
 * gas splits macro arguments at blanks <em>after</em> this pass, so {@code foo a + b} passes one
 * argument {@code a+b} while {@code foo 8 * 2} passes three ({@code *} is an x86 symbol char).
 *
 * <p>Every output character remembers the column it came from, so statements keep exact positions.
 */
final class Scrubber {
    /** One statement of scrubbed text (trimmed, non-empty) and the column of each character. */
    record Piece(String text, int[] columns) {}

    private static final int EOF = -1;

    // gas lexical classes (LEX_IS_*) for x86-64 ELF.
    private static final byte OTHER = 0;
    private static final byte SYMBOL = 1;
    private static final byte WHITE = 2;
    private static final byte SEPARATOR = 3;
    private static final byte LINE_COMMENT = 5;
    private static final byte STRING_QUOTE = 8;
    private static final byte COLON = 9;
    private static final byte CHAR_QUOTE = 11;
    private static final byte[] LEX = new byte[128];

    static {
        for (char c = 'a'; c <= 'z'; c++) {
            LEX[c] = SYMBOL;
            LEX[Character.toUpperCase(c)] = SYMBOL;
        }
        for (char c = '0'; c <= '9'; c++) {
            LEX[c] = SYMBOL;
        }
        for (char c : "$._*%-([{}".toCharArray()) { // tc-i386 extra_symbol_chars
            LEX[c] = SYMBOL;
        }
        LEX[' '] = WHITE;
        LEX['\t'] = WHITE;
        LEX['\r'] = WHITE;
        LEX['\n'] = SEPARATOR;
        LEX[';'] = SEPARATOR;
        LEX[':'] = COLON;
        LEX['"'] = STRING_QUOTE;
        LEX['\''] = CHAR_QUOTE;
        LEX['#'] = LINE_COMMENT;
        LEX['/'] = LINE_COMMENT;
    }

    private static byte lex(int c) {
        return c >= 128 ? SYMBOL : LEX[c];
    }

    private final String in;
    private final int[] cols;
    private int pos;
    private int state;
    private final List<Piece> pieces = new ArrayList<>();
    private final StringBuilder out = new StringBuilder();
    private int[] outCols = new int[64];
    private char lastPut;

    private Scrubber(String in, int[] cols) {
        this.in = in;
        this.cols = cols;
    }

    /** Scrubs {@code text}; {@code columns[i]} is the column of {@code text.charAt(i)}. */
    static List<Piece> scrub(String text, int[] columns) {
        Scrubber s = new Scrubber(text, columns);
        s.run();
        s.endPiece();
        return s.pieces;
    }

    /** Scrubs a line whose first character sits at {@code firstColumn}. */
    static List<Piece> scrub(String text, int firstColumn) {
        int[] columns = new int[text.length()];
        for (int i = 0; i < columns.length; i++) {
            columns[i] = firstColumn + i;
        }
        return scrub(text, columns);
    }

    private int get() {
        return pos < in.length() ? in.charAt(pos++) : EOF;
    }

    private int colAt(int index) {
        return cols[Math.min(index, cols.length - 1)];
    }

    private void put(char c, int column) {
        if (out.length() == outCols.length) {
            outCols = Arrays.copyOf(outCols, outCols.length * 2);
        }
        outCols[out.length()] = column;
        out.append(c);
        lastPut = c;
    }

    private void endPiece() {
        int start = 0;
        int end = out.length();
        while (start < end && out.charAt(start) == ' ') {
            start++;
        }
        while (end > start && out.charAt(end - 1) == ' ') {
            end--;
        }
        if (start < end) {
            pieces.add(new Piece(out.substring(start, end), Arrays.copyOfRange(outCols, start, end)));
        }
        out.setLength(0);
    }

    private void run() {
        int ch = get();
        while (ch != EOF) {
            ch = step(ch, pos - 1);
        }
    }

    /**
     * Handles {@code ch} (read from index {@code at}) and returns the next character to handle,
     * which is either freshly read or a character to re-examine (gas's {@code goto recycle}).
     */
    private int step(int ch, int at) {
        switch (lex(ch)) {
            case WHITE:
                return whitespace(at);
            case SEPARATOR:
                endPiece();
                state = 0;
                lastPut = (char) ch;
                return get();
            case COLON:
                if (state == 9 || state == 10) {
                    state = 3;
                } else if (state != 3) {
                    state = 1;
                }
                put(':', colAt(at));
                return get();
            case STRING_QUOTE:
                string(at);
                return get();
            case CHAR_QUOTE:
                return charConstant(at);
            case LINE_COMMENT:
                if (ch == '/' && pos < in.length() && in.charAt(pos) == '*') {
                    pos++;
                    skipCComment();
                    return whitespace(at);
                }
                if (state == 0 || state == 1) {
                    pos = in.length(); // a whole-line comment
                    return EOF;
                }
                if (ch == '#' && lastPut != '\\') {
                    pos = in.length();
                    return EOF;
                }
                normal(ch, at);
                return get();
            case SYMBOL:
                if (state == 10) {
                    state = 3;
                    put(' ', colAt(at));
                    return ch; // re-examine the symbol char in state 3
                }
                if (state == 3) {
                    state = 9;
                }
                normal(ch, at);
                return get();
            default:
                normal(ch, at);
                return get();
        }
    }

    /** gas's "relatively normal character" transitions. */
    private void normal(int ch, int at) {
        switch (state) {
            case 0 -> state = 11;
            case 1 -> state = 2;
            case 9 -> {
                if (lex(ch) != SYMBOL) {
                    state = 3;
                }
            }
            case 10 -> {
                if (ch == '\\') {
                    // A blank before \param after a symbol is kept: "\a \b" stays two arguments.
                    put(' ', colAt(at));
                }
                state = 3;
            }
            default -> { }
        }
        put((char) ch, colAt(at));
    }

    /** A run of blanks starting at {@code at} (or a C comment standing for one). */
    private int whitespace(int at) {
        int ch;
        do {
            ch = get();
        } while (ch != EOF && lex(ch) == WHITE);
        if (ch == EOF) {
            return EOF;
        }
        if (state == 0) {
            state = 1;
            put(' ', colAt(at));
            return ch;
        }
        if (ch == '#' || lex(ch) == SEPARATOR) {
            return ch; // trailing blanks before a comment or ';' vanish
        }
        if ((state == 2 || state == 11) && ch == ':') {
            state = 1; // "foo :" is the label "foo:"
            put(':', colAt(pos - 1));
            return get();
        }
        switch (state) {
            case 2 -> {
                state = 3;
                put(' ', colAt(at));
            }
            case 9, 10 -> state = 10;
            case 11 -> {
                state = 3;
                put(' ', colAt(at));
            }
            default -> { } // states 1 and 3 drop the blank
        }
        return ch;
    }

    private void string(int at) {
        int after;
        if (state == 10) {
            put(' ', colAt(at));
            after = 9;
        } else if (state == 3) {
            after = 9;
        } else if (state == 0) {
            after = 11;
        } else {
            after = state;
        }
        state = 5;
        put('"', colAt(at));
        while (pos < in.length()) {
            int i = pos++;
            char c = in.charAt(i);
            put(c, colAt(i));
            if (c == '\\') {
                if (pos < in.length()) {
                    put(in.charAt(pos), colAt(pos));
                    pos++;
                }
            } else if (c == '"') {
                state = after;
                return;
            }
        }
        // Unterminated: the statement ends with the line; the parser reports the string.
    }

    private int charConstant(int at) {
        if (state == 10) {
            state = 3;
            put(' ', colAt(at));
            return '\'';
        }
        int ch = get();
        if (ch == EOF) {
            ch = 0;
        } else if (ch == '\\') {
            int e = get();
            ch = e == EOF ? '\\' : escape(e);
        }
        String decimal = Integer.toString(ch & 0xff);
        if (pos < in.length() && in.charAt(pos) == '\'') {
            pos++;
        }
        int column = colAt(at);
        if (decimal.length() > 1) {
            int after = state == 9 ? 3 : state;
            for (int i = 0; i < decimal.length(); i++) {
                put(decimal.charAt(i), column);
            }
            state = after;
        } else {
            put(decimal.charAt(0), column);
        }
        return get();
    }

    private static int escape(int c) {
        return switch (c) {
            case 'b' -> '\b';
            case 'f' -> '\f';
            case 'n' -> '\n';
            case 'r' -> '\r';
            case 't' -> '\t';
            default -> c;
        };
    }

    private void skipCComment() {
        while (true) {
            int c;
            do {
                c = get();
            } while (c != EOF && c != '*');
            while (c == '*') {
                c = get();
            }
            if (c == EOF || c == '/') {
                return;
            }
            pos--;
        }
    }
}
