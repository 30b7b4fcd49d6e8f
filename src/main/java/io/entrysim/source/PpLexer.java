package io.entrysim.source;

import io.entrysim.source.PpToken.Kind;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits source text into logical lines of preprocessing tokens the way gcc's lexer does for
 * {@code -x assembler-with-cpp}: backslash-newline splices first (also with blanks before the
 * newline, as gcc accepts), then {@code /* *}{@code /} and {@code //} comments become whitespace (a
 * block comment may carry the logical line over several physical ones), {@code $} is not an
 * identifier character, and an unterminated {@code '} or {@code "} is not an error but one
 * {@code OTHER} token running to the end of the line (so {@code mov 'a, %al} and gas comments
 * with apostrophes pass through).
 */
final class PpLexer {
    /** A lexical error (only an unterminated comment is one) at a physical position. */
    static final class LexError extends RuntimeException {
        final int line;
        final int col;

        LexError(int line, int col, String message) {
            super(message, null, false, false);
            this.line = line;
            this.col = col;
        }
    }

    private final String original;
    private final int[] lineStarts; // offset in original of each physical line, 0-based index
    private final char[] buf;       // text with splices removed and newlines normalized to '\n'
    private final int[] lineOf;
    private final int[] colOf;
    private final int n;
    private int pos;

    private PpLexer(String text) {
        this.original = text;
        List<Integer> starts = new ArrayList<>();
        starts.add(0);
        char[] out = new char[text.length() + 1];
        int[] lines = new int[text.length() + 1];
        int[] cols = new int[text.length() + 1];
        int len = 0;
        int line = 1;
        int lineStart = 0;
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '\\') {
                int j = i + 1;
                while (j < text.length() && (text.charAt(j) == ' ' || text.charAt(j) == '\t')) {
                    j++;
                }
                int nl = newlineLength(text, j);
                if (nl > 0) { // a splice: the next physical line continues this one
                    i = j + nl;
                    line++;
                    lineStart = i;
                    starts.add(i);
                    continue;
                }
            }
            int nl = newlineLength(text, i);
            out[len] = nl > 0 ? '\n' : c;
            lines[len] = line;
            cols[len] = i - lineStart + 1;
            len++;
            if (nl > 0) {
                i += nl;
                line++;
                lineStart = i;
                starts.add(i);
            } else {
                i++;
            }
        }
        if (len == 0 || out[len - 1] != '\n') { // a final newline makes every line end the same way
            out[len] = '\n';
            lines[len] = line;
            cols[len] = i - lineStart + 1;
            len++;
        }
        this.buf = out;
        this.lineOf = lines;
        this.colOf = cols;
        this.n = len;
        this.lineStarts = starts.stream().mapToInt(Integer::intValue).toArray();
    }

    private static int newlineLength(String text, int i) {
        if (i >= text.length()) {
            return 0;
        }
        char c = text.charAt(i);
        if (c == '\n') {
            return 1;
        }
        if (c == '\r') {
            return i + 1 < text.length() && text.charAt(i + 1) == '\n' ? 2 : 1;
        }
        return 0;
    }

    /** All non-blank logical lines of a file. */
    static List<LexedLine> lexFile(String text) {
        PpLexer lexer = new PpLexer(text);
        List<LexedLine> out = new ArrayList<>();
        while (lexer.pos < lexer.n) {
            LexedLine line = lexer.lexLine();
            if (line != null) {
                out.add(line);
            }
        }
        return List.copyOf(out);
    }

    /** Tokens of a one-line fragment (a -D value), all placed at (line, col). */
    static List<PpToken> lexFragment(String text) {
        List<PpToken> out = new ArrayList<>();
        for (LexedLine line : lexFile(text.replace('\n', ' ').replace('\r', ' '))) {
            out.addAll(line.tokens());
        }
        return out;
    }

    /** The single token {@code text} spells, or null when it is not exactly one token (for ##). */
    static PpToken lexSingle(String text) {
        if (text.isEmpty() || text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0) {
            return null;
        }
        try {
            PpLexer lexer = new PpLexer(text);
            LexedLine line = lexer.lexLine();
            if (line == null || line.tokens().size() != 1 || lexer.pos < lexer.n) {
                return null;
            }
            PpToken token = line.tokens().get(0);
            return token.text().equals(text) ? token : null;
        } catch (LexError e) {
            return null;
        }
    }

    private char at(int i) {
        return i < n ? buf[i] : '\n';
    }

    private LexedLine lexLine() {
        List<PpToken> tokens = new ArrayList<>();
        boolean white = false;
        while (buf[pos] != '\n') {
            char c = buf[pos];
            if (c == ' ' || c == '\t' || c == '\f' || c == 0x0B || c == '\0') {
                white = true;
                pos++;
                continue;
            }
            if (c == '/' && at(pos + 1) == '*') {
                skipBlockComment();
                white = true;
                continue;
            }
            if (c == '/' && at(pos + 1) == '/') {
                while (buf[pos] != '\n') {
                    pos++;
                }
                break;
            }
            int start = pos;
            Kind kind = lexToken(c, tokens);
            int flags = (white ? PpToken.PREV_WHITE : 0) | (tokens.isEmpty() ? PpToken.BOL : 0);
            tokens.add(PpToken.of(kind, new String(buf, start, pos - start), flags, lineOf[start], colOf[start]));
            white = false;
        }
        int eolLine = lineOf[pos];
        int eolCol = colOf[pos];
        pos++;
        if (tokens.isEmpty()) {
            return null;
        }
        PpToken first = tokens.get(0);
        return new LexedLine(List.copyOf(tokens), indentBefore(first.line(), first.col()), eolLine, eolCol);
    }

    /** The original characters before (line, col), with anything but blanks turned into spaces. */
    private String indentBefore(int line, int col) {
        int start = lineStarts[line - 1];
        StringBuilder sb = new StringBuilder(col - 1);
        for (int i = start; i < start + col - 1 && i < original.length(); i++) {
            char c = original.charAt(i);
            sb.append(c == '\t' ? '\t' : ' ');
        }
        return sb.toString();
    }

    private void skipBlockComment() {
        int start = pos;
        pos += 2;
        while (pos < n) {
            if (buf[pos] == '*' && at(pos + 1) == '/') {
                pos += 2;
                return;
            }
            pos++;
        }
        pos = n - 1; // leave the final newline so the line still ends
        throw new LexError(lineOf[start], colOf[start], "unterminated comment");
    }

    private Kind lexToken(char c, List<PpToken> sofar) {
        int start = pos;
        if (isIdentStart(c)) {
            while (isIdentPart(at(pos))) {
                pos++;
            }
            if (c == 'L' && pos == start + 1 && (buf[pos] == '\'' || buf[pos] == '"')) {
                return lexQuoted(pos); // L"wide": the one prefix gcc knows in assembler mode
            }
            return Kind.NAME;
        }
        if (isDigit(c) || (c == '.' && isDigit(at(pos + 1)))) {
            pos++;
            for (;;) {
                char d = at(pos);
                if ((d == '+' || d == '-') && "eEpP".indexOf(buf[pos - 1]) >= 0) {
                    pos++;
                } else if (isIdentPart(d) || d == '.') {
                    pos++;
                } else {
                    return Kind.NUMBER;
                }
            }
        }
        if (c == '"' || c == '\'') {
            return lexQuoted(pos);
        }
        if (c == '<' && wantsHeaderName(sofar)) {
            int end = pos + 1;
            while (buf[end] != '\n' && buf[end] != '>') {
                end++;
            }
            if (buf[end] == '>') {
                pos = end + 1;
                return Kind.HEADER_NAME;
            }
        }
        pos += punctuatorLength(c);
        return isPunctuatorStart(c) ? Kind.PUNCT : Kind.OTHER;
    }

    /** A literal whose opening quote is at {@code buf[quoteAt]}; {@code pos} is the token start. */
    private Kind lexQuoted(int quoteAt) {
        char quote = buf[quoteAt];
        int i = quoteAt + 1;
        for (;;) {
            char d = buf[i];
            if (d == '\n') { // unterminated: in assembler-with-cpp the rest of the line is one token
                pos = i;
                return Kind.OTHER;
            }
            if (d == '\\' && buf[i + 1] != '\n') {
                i += 2;
                continue;
            }
            i++;
            if (d == quote) {
                pos = i;
                return quote == '"' ? Kind.STRING : Kind.CHAR;
            }
        }
    }

    private static boolean wantsHeaderName(List<PpToken> sofar) {
        if (sofar.size() != 2 || !sofar.get(0).is("#")) {
            return false;
        }
        PpToken name = sofar.get(1);
        return name.isName("include") || name.isName("include_next") || name.isName("import");
    }

    private int punctuatorLength(char c) {
        char d = at(pos + 1);
        switch (c) {
            case '<':
            case '>':
                if (d == c) {
                    return at(pos + 2) == '=' ? 3 : 2;
                }
                return d == '=' ? 2 : 1;
            case '-':
                return d == '-' || d == '>' || d == '=' ? 2 : 1;
            case '+':
            case '&':
            case '|':
                return d == c || d == '=' ? 2 : 1;
            case '=':
            case '!':
            case '*':
            case '/':
            case '%':
            case '^':
                return d == '=' ? 2 : 1;
            case '#':
                return d == '#' ? 2 : 1;
            case '.':
                return d == '.' && at(pos + 2) == '.' ? 3 : 1;
            default:
                return 1;
        }
    }

    private static boolean isPunctuatorStart(char c) {
        return "<>-+&|=!*/%^#.[](){}~?:;,".indexOf(c) >= 0;
    }

    static boolean isIdentStart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    }

    static boolean isIdentPart(char c) {
        return isIdentStart(c) || isDigit(c);
    }

    static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
