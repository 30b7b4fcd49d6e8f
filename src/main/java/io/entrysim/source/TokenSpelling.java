package io.entrysim.source;

import io.entrysim.source.PpToken.Kind;
import java.util.List;

/** Spelling rules shared by {@code #}, {@code ##} and the output: libcpp's stringify_arg, paste_tokens, cpp_avoid_paste. */
final class TokenSpelling {
    private TokenSpelling() {}

    /** {@code #arg}: the raw argument spelled as a string literal. */
    static PpToken stringify(List<PpToken> raw, PpToken at, PpDiagnostics diag) {
        StringBuilder sb = new StringBuilder("\"");
        PpToken source = null;
        int backslashes = 0;
        for (PpToken t : raw) {
            if (t.kind() == Kind.PADDING) {
                if (source == null || (!source.has(PpToken.PREV_WHITE) && t.source() == null)) {
                    source = t.source();
                }
                continue;
            }
            if (sb.length() > 1) {
                if (source == null) {
                    source = t;
                }
                if (source.has(PpToken.PREV_WHITE)) {
                    sb.append(' ');
                }
            }
            source = null;
            if (t.kind() == Kind.STRING || t.kind() == Kind.CHAR) {
                quote(t.text(), sb);
            } else {
                sb.append(t.text());
            }
            backslashes = t.kind() == Kind.OTHER && t.text().startsWith("\\") ? backslashes + 1 : 0;
        }
        if ((backslashes & 1) != 0) {
            diag.warning(at, "invalid string literal, ignoring final '\\'");
            sb.setLength(sb.length() - 1);
        }
        sb.append('"');
        return PpToken.of(Kind.STRING, sb.toString(), 0, at.line(), at.col());
    }

    private static void quote(String text, StringBuilder sb) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' || c == '"') {
                sb.append('\\').append(c);
            } else if (c == '\n') {
                sb.append("\\n");
            } else {
                sb.append(c);
            }
        }
    }

    /** {@code lhs ## rhs}, or null when the spellings do not make one token. */
    static PpToken paste(PpToken lhs, PpToken rhs) {
        // Like gcc, keep "/" from starting a comment with what follows.
        String text = lhs.text() + (lhs.is("/") && !rhs.is("=") ? " " : "") + rhs.text();
        PpToken t = PpLexer.lexSingle(text);
        if (t == null) {
            return null;
        }
        return PpToken.of(t.kind(), t.text(), lhs.flags() & PpToken.PREV_WHITE, lhs.line(), lhs.col());
    }

    private static final java.util.Set<String> CAN_TAKE_EQUALS =
            java.util.Set.of("=", "!", ">", "<", "+", "-", "*", "/", "%", "&", "|", "^", ">>", "<<");

    /** Whether printing {@code b} right after {@code a} would lex differently (libcpp's cpp_avoid_paste). */
    static boolean avoidPaste(PpToken a, PpToken b) {
        int c = b.kind() == Kind.PUNCT ? b.text().charAt(0) : -1;
        if (a.kind() == Kind.PUNCT) {
            String op = a.text();
            if (c == '=' && CAN_TAKE_EQUALS.contains(op)) {
                return true;
            }
            switch (op) {
                case ">": return c == '>';
                case "<": return c == '<' || c == '%' || c == ':';
                case "+": return c == '+';
                case "-": return c == '-' || c == '>';
                case "/": return c == '/' || c == '*';
                case "%": return c == ':' || c == '>';
                case "&": return c == '&';
                case "|": return c == '|';
                case ":": return c == ':' || c == '>';
                case "->": return c == '*';
                case ".": return c == '.' || c == '%' || b.kind() == Kind.NUMBER;
                case "#": return c == '#' || c == '%';
                default: return false;
            }
        }
        switch (a.kind()) {
            case NAME:
                return b.kind() == Kind.NAME || b.kind() == Kind.CHAR || b.kind() == Kind.STRING
                        || (b.kind() == Kind.NUMBER && b.text().chars().allMatch(ch -> PpLexer.isIdentPart((char) ch)));
            case NUMBER:
                return b.kind() == Kind.NUMBER || b.kind() == Kind.NAME || b.kind() == Kind.CHAR
                        || c == '.' || c == '+' || c == '-';
            case OTHER:
                return a.text().startsWith("\\") && b.kind() == Kind.NAME;
            default:
                return false;
        }
    }

    /** Tokens spelled with one space wherever the source had white space (#error, #include MACRO). */
    static String spell(List<PpToken> tokens) {
        StringBuilder sb = new StringBuilder();
        for (PpToken t : tokens) {
            if (t.kind() == Kind.PADDING || t.kind() == Kind.EOF) {
                continue;
            }
            if (sb.length() > 0 && t.has(PpToken.PREV_WHITE)) {
                sb.append(' ');
            }
            sb.append(t.text());
        }
        return sb.toString();
    }
}
