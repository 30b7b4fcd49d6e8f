package io.entrysim.source;

import io.entrysim.source.IntegerConstants.Num;
import io.entrysim.source.PpToken.Kind;
import java.util.Map;
import java.util.Set;

/**
 * Evaluates the controlling expression of {@code #if}/{@code #elif}: C integer constant
 * expressions in intmax_t/uintmax_t with the usual arithmetic conversions, short-circuit
 * {@code && || ?:} (division by zero is only an error where evaluated), {@code defined X} /
 * {@code defined(X)} read without expansion even when produced by a macro, and identifiers left
 * after expansion worth 0. Syntax errors use libcpp's wording and positions.
 */
final class IfExpression {
    private enum OpKind { VALUE, OPERATOR, EOF }

    private record Operator(OpKind kind, PpToken token, Num value) {
        boolean is(String text) {
            return kind == OpKind.OPERATOR && token.text().equals(text);
        }
    }

    private static final Set<String> OPERATORS = Set.of("(", ")", "?", ":", ",", "||", "&&", "|", "^", "&", "==",
            "!=", "<", ">", "<=", ">=", "<<", ">>", "+", "-", "*", "/", "%", "~", "!");

    /** Whether {@code __has_include} finds a header: (name, angled, include_next). */
    interface HeaderProbe {
        boolean exists(String name, boolean angled, boolean next);
    }

    private final CppMacroExpander in;
    private final Map<String, Macro> macros;
    private final HeaderProbe headers;
    private final PpDiagnostics diag;
    private final String directive;
    private Operator peeked;
    private int skipEval;

    private IfExpression(CppMacroExpander in, Map<String, Macro> macros, HeaderProbe headers, PpDiagnostics diag,
            String directive) {
        this.in = in;
        this.macros = macros;
        this.headers = headers;
        this.diag = diag;
        this.directive = directive;
    }

    /** @param directive "#if" or "#elif", for "#if with no expression" */
    static boolean evaluate(CppMacroExpander in, Map<String, Macro> macros, HeaderProbe headers, PpDiagnostics diag,
            String directive) {
        return new IfExpression(in, macros, headers, diag, directive).top().isTrue();
    }

    /** Names that {@code defined} and {@code #ifdef} see as defined without being macros. */
    static boolean isSpecial(String name) {
        return name.equals("__has_include") || name.equals("__has_include_next");
    }

    private Num top() {
        Operator first = peek();
        if (first.kind() == OpKind.EOF) {
            throw diag.error(first.token(), directive + " with no expression");
        }
        Num value = expression(1, null);
        Operator rest = peek();
        if (rest.is(")")) {
            throw diag.error(rest.token(), "missing '(' in expression");
        }
        if (rest.is(":")) {
            throw diag.error(rest.token(), "':' without preceding '?'");
        }
        return value;
    }

    private Operator peek() {
        if (peeked == null) {
            peeked = lex();
        }
        return peeked;
    }

    private Operator take() {
        Operator op = peek();
        peeked = null;
        return op;
    }

    private PpToken nextToken() {
        PpToken t = in.next();
        while (t.kind() == Kind.PADDING) {
            t = in.next();
        }
        return t;
    }

    private Operator lex() {
        PpToken t = nextToken();
        switch (t.kind()) {
            case EOF:
                return new Operator(OpKind.EOF, t, null);
            case NUMBER:
                return new Operator(OpKind.VALUE, t, IntegerConstants.number(t, diag));
            case CHAR:
                return new Operator(OpKind.VALUE, t, IntegerConstants.character(t, diag));
            case NAME:
                if (t.text().equals("defined")) {
                    String name = definedOperand();
                    return new Operator(OpKind.VALUE, t, Num.bool(macros.containsKey(name) || isSpecial(name)));
                }
                if (isSpecial(t.text())) {
                    return new Operator(OpKind.VALUE, t, hasInclude(t));
                }
                return new Operator(OpKind.VALUE, t, Num.ZERO);
            case PUNCT:
                if (OPERATORS.contains(t.text())) {
                    return new Operator(OpKind.OPERATOR, t, null);
                }
                break;
            default:
                break;
        }
        throw diag.error(t, "token \"" + t.text() + "\" is not valid in preprocessor expressions");
    }

    private String definedOperand() {
        in.preventExpansion(true);
        try {
            PpToken t = nextToken();
            boolean paren = t.is("(");
            if (paren) {
                t = nextToken();
            }
            if (t.kind() != Kind.NAME) {
                throw diag.error(t, "operator \"defined\" requires an identifier");
            }
            if (paren) {
                PpToken close = nextToken();
                if (!close.is(")")) {
                    throw diag.error(close, "missing ')' after \"defined\"");
                }
            }
            return t.text();
        } finally {
            in.preventExpansion(false);
        }
    }

    /** {@code __has_include("x")} / {@code __has_include(<x>)}, libcpp's parse_has_include. */
    private Num hasInclude(PpToken op) {
        in.preventExpansion(true);
        try {
            PpToken t = nextToken();
            boolean paren = t.is("(");
            if (!paren) {
                throw diag.error(op, "missing '(' before \"" + op.text() + "\" operand");
            }
            t = nextToken();
            String name;
            boolean angled = t.kind() != Kind.STRING;
            if (t.kind() == Kind.STRING) {
                name = t.text().substring(1, t.text().length() - 1);
            } else if (t.is("<")) {
                StringBuilder sb = new StringBuilder();
                for (t = nextToken(); !t.is(">"); t = nextToken()) {
                    if (t.kind() == Kind.EOF) {
                        throw diag.error(t, "missing terminating > character");
                    }
                    sb.append(sb.length() > 0 && t.has(PpToken.PREV_WHITE) ? " " : "").append(t.text());
                }
                name = sb.toString();
            } else {
                throw diag.error(t, "operator \"" + op.text() + "\" requires a header-name");
            }
            PpToken close = nextToken();
            if (!close.is(")")) {
                throw diag.error(close, "missing ')' after \"" + op.text() + "\" operand");
            }
            boolean found = skipEval == 0 && headers.exists(name, angled, op.text().endsWith("_next"));
            return Num.bool(found);
        } finally {
            in.preventExpansion(false);
        }
    }

    private static int precedence(String op) {
        return switch (op) {
            case "," -> 1;
            case "?" -> 2;
            case "||" -> 3;
            case "&&" -> 4;
            case "|" -> 5;
            case "^" -> 6;
            case "&" -> 7;
            case "==", "!=" -> 8;
            case "<", ">", "<=", ">=" -> 9;
            case "<<", ">>" -> 10;
            case "+", "-" -> 11;
            case "*", "/", "%" -> 12;
            default -> -1;
        };
    }

    /** Operators of precedence >= minPrec; {@code enclosing} is the operator whose operand this is. */
    private Num expression(int minPrec, Operator enclosing) {
        Num lhs = operand(enclosing);
        for (;;) {
            Operator op = peek();
            if (op.kind() == OpKind.VALUE || op.is("(") || op.is("~") || op.is("!")) {
                throw diag.error(op.token(), "missing binary operator before token \"" + op.token().text() + "\"");
            }
            if (op.kind() != OpKind.OPERATOR) {
                return lhs;
            }
            String text = op.token().text();
            int prec = precedence(text);
            if (prec < 0 || prec < minPrec) {
                return lhs;
            }
            take();
            switch (text) {
                case "?" -> lhs = conditional(lhs, op);
                case "&&", "||" -> {
                    boolean decided = text.equals("&&") ? !lhs.isTrue() : lhs.isTrue();
                    skipEval += decided ? 1 : 0;
                    Num rhs = expression(prec + 1, op);
                    skipEval -= decided ? 1 : 0;
                    lhs = Num.bool(text.equals("&&") ? lhs.isTrue() && rhs.isTrue() : lhs.isTrue() || rhs.isTrue());
                }
                default -> lhs = binary(op, lhs, expression(prec + 1, op));
            }
        }
    }

    private Num conditional(Num cond, Operator question) {
        skipEval += cond.isTrue() ? 0 : 1;
        Num ifTrue = expression(1, question);
        skipEval -= cond.isTrue() ? 0 : 1;
        Operator colon = peek();
        if (!colon.is(":")) {
            throw diag.error(colon.token(), "'?' without following ':'");
        }
        take();
        skipEval += cond.isTrue() ? 1 : 0;
        Num ifFalse = expression(2, colon);
        skipEval -= cond.isTrue() ? 1 : 0;
        Num chosen = cond.isTrue() ? ifTrue : ifFalse;
        return new Num(chosen.value(), ifTrue.unsigned() || ifFalse.unsigned());
    }

    private Num operand(Operator enclosing) {
        Operator t = peek();
        if (t.kind() == OpKind.VALUE) {
            take();
            return t.value();
        }
        if (t.kind() == OpKind.EOF) {
            if (enclosing == null) {
                throw diag.error(t.token(), directive + " with no expression");
            }
            if (enclosing.is("(")) {
                throw diag.error(enclosing.token(), "missing ')' in expression");
            }
            throw diag.error(t.token(), "operator '" + enclosing.token().text() + "' has no right operand");
        }
        if (t.is("(")) {
            take();
            if (peek().is(")")) {
                throw diag.error(peek().token(), "missing expression between '(' and ')'");
            }
            Num inner = expression(1, t);
            Operator close = peek();
            if (close.is(":")) {
                throw diag.error(close.token(), "':' without preceding '?'");
            }
            if (!close.is(")")) {
                throw diag.error(t.token(), "missing ')' in expression");
            }
            take();
            return inner;
        }
        if (t.is("+") || t.is("-") || t.is("~") || t.is("!")) {
            take();
            return unary(t, operand(t));
        }
        if (enclosing != null && !enclosing.is("(")) {
            throw diag.error(t.token(), "operator '" + enclosing.token().text() + "' has no right operand");
        }
        if (t.is(")")) {
            throw diag.error(t.token(), "missing '(' in expression");
        }
        throw diag.error(t.token(), "operator '" + t.token().text() + "' has no left operand");
    }

    private Num unary(Operator op, Num v) {
        switch (op.token().text()) {
            case "-":
                if (!v.unsigned() && v.value() == Long.MIN_VALUE) {
                    overflow(op);
                }
                return new Num(-v.value(), v.unsigned());
            case "~":
                return new Num(~v.value(), v.unsigned());
            case "!":
                return Num.bool(!v.isTrue());
            default:
                return v;
        }
    }

    private void overflow(Operator op) {
        if (skipEval == 0) {
            diag.warning(op.token(), "integer overflow in preprocessor expression");
        }
    }

    private Num binary(Operator op, Num a, Num b) {
        String text = op.token().text();
        boolean uns = a.unsigned() || b.unsigned();
        long x = a.value();
        long y = b.value();
        switch (text) {
            case ",":
                return b;
            case "<<":
            case ">>":
                return shift(op, a, b, text.equals("<<"));
            case "==":
                return Num.bool(x == y);
            case "!=":
                return Num.bool(x != y);
            case "<":
                return Num.bool(compare(x, y, uns) < 0);
            case ">":
                return Num.bool(compare(x, y, uns) > 0);
            case "<=":
                return Num.bool(compare(x, y, uns) <= 0);
            case ">=":
                return Num.bool(compare(x, y, uns) >= 0);
            case "&":
                return new Num(x & y, uns);
            case "|":
                return new Num(x | y, uns);
            case "^":
                return new Num(x ^ y, uns);
            case "+": {
                long r = x + y;
                if (!uns && ((x ^ r) & (y ^ r)) < 0) {
                    overflow(op);
                }
                return new Num(r, uns);
            }
            case "-": {
                long r = x - y;
                if (!uns && ((x ^ y) & (x ^ r)) < 0) {
                    overflow(op);
                }
                return new Num(r, uns);
            }
            case "*": {
                long r = x * y;
                if (!uns && (Math.multiplyHigh(x, y) != (r >> 63))) {
                    overflow(op);
                }
                return new Num(r, uns);
            }
            case "/":
            case "%":
                return divide(op, a, b, uns);
            default:
                throw new IllegalStateException(text);
        }
    }

    private static int compare(long x, long y, boolean uns) {
        return uns ? Long.compareUnsigned(x, y) : Long.compare(x, y);
    }

    private Num divide(Operator op, Num a, Num b, boolean uns) {
        boolean div = op.token().text().equals("/");
        if (b.value() == 0) {
            if (skipEval == 0) {
                throw diag.error(op.token(), "division by zero in #if");
            }
            return new Num(0, uns);
        }
        long x = a.value();
        long y = b.value();
        if (uns) {
            return new Num(div ? Long.divideUnsigned(x, y) : Long.remainderUnsigned(x, y), true);
        }
        if (x == Long.MIN_VALUE && y == -1) {
            if (div) {
                overflow(op);
            }
            return new Num(div ? Long.MIN_VALUE : 0, false);
        }
        return new Num(div ? x / y : x % y, false);
    }

    /** Shifts keep the left operand's type; a negative count shifts the other way, as in libcpp. */
    private Num shift(Operator op, Num a, Num b, boolean left) {
        long count = b.value();
        if (!b.unsigned() && count < 0) {
            left = !left;
            count = count == Long.MIN_VALUE ? Long.MAX_VALUE : -count;
        }
        boolean huge = Long.compareUnsigned(count, 64) >= 0;
        int n = huge ? 64 : (int) count;
        long x = a.value();
        if (left) {
            long r = n >= 64 ? 0 : x << n;
            if (!a.unsigned() && (n >= 64 ? x != 0 : (r >> n) != x)) {
                overflow(op);
            }
            return new Num(r, a.unsigned());
        }
        if (a.unsigned()) {
            return new Num(n >= 64 ? 0 : x >>> n, true);
        }
        return new Num(n >= 64 ? (x < 0 ? -1 : 0) : x >> n, false);
    }
}
