package io.entrysim.parse;

import io.entrysim.diag.AsmError;
import io.entrysim.diag.Origin;

/**
 * Evaluates gas expressions the way GNU as 2.40 folds constants on x86-64 (checked against the
 * host {@code as}, see ExprEvaluatorTest): 64-bit wrap-around; {@code / %} and comparisons signed;
 * {@code >>} logical; a shift count outside 0..63 yields 0 (with gas's warning, through
 * {@link SymbolResolver#warn}); comparisons give -1 for true and 0
 * for false; {@code && || !} give 1 or 0; binary {@code !} is or-not.
 */
public final class ExprEvaluator {
    static final String DIVISION_BY_ZERO = "division by zero";

    private ExprEvaluator() {}

    /**
     * @throws UnresolvedSymbolException when the resolver returns null for a symbol or label
     * @throws BadExpressionException on division by zero or a misused register
     */
    public static long eval(Expr e, SymbolResolver r) {
        if (e instanceof Expr.Num n) {
            return n.value();
        } else if (e instanceof Expr.Sym s) {
            return require(r.symbol(s.name()), s.name());
        } else if (e instanceof Expr.LocalRef l) {
            return require(r.localLabel(l.label(), l.forward()), l.label() + (l.forward() ? "f" : "b"));
        } else if (e instanceof Expr.Dot) {
            return r.dot();
        } else if (e instanceof Expr.Unary u) {
            return unary(u.op(), eval(u.e(), r));
        } else if (e instanceof Expr.Binary b) {
            return binary(b, r);
        } else if (e instanceof Expr.RegRef reg) {
            throw new BadExpressionException("register %" + reg.name() + " used in an arithmetic expression");
        }
        throw new IllegalArgumentException("expression " + e);
    }

    /** As {@link #eval(Expr, SymbolResolver)}, reporting a bad expression as an error at {@code where}. */
    public static long eval(Expr e, SymbolResolver r, Origin where) {
        try {
            return eval(e, r);
        } catch (BadExpressionException bad) {
            throw new AsmError(where, bad.getMessage());
        }
    }

    private static long require(Long value, String name) {
        if (value == null) {
            throw new UnresolvedSymbolException(name);
        }
        return value;
    }

    private static long unary(String op, long v) {
        return switch (op) {
            case "-" -> -v;
            case "~" -> ~v;
            case "!" -> v == 0 ? 1 : 0;
            case "+" -> v;
            default -> throw new IllegalArgumentException("unary operator " + op);
        };
    }

    /**
     * A left-associative chain ({@code 1+1+...+1}) is as deep as it is long: its left spine is
     * evaluated in a loop, so only nesting (bounded by {@link ExpressionDepth}) recurses.
     */
    private static long binary(Expr.Binary top, SymbolResolver r) {
        java.util.ArrayDeque<Expr.Binary> spine = new java.util.ArrayDeque<>();
        Expr c = top;
        while (c instanceof Expr.Binary b) {
            spine.push(b);
            c = b.l();
        }
        Expr.Binary first = spine.pop();
        long acc;
        if (first.l() instanceof Expr.RegRef lr && first.r() instanceof Expr.RegRef rr) {
            acc = registerComparison(first.op(), lr.name(), rr.name());
        } else {
            long l = eval(first.l(), r);
            acc = apply(first.op(), l, eval(first.r(), r), r);
        }
        while (!spine.isEmpty()) {
            Expr.Binary b = spine.pop();
            acc = apply(b.op(), acc, eval(b.r(), r), r);
        }
        return acc;
    }

    private static long apply(String op, long l, long v, SymbolResolver r) {
        return switch (op) {
            case "*" -> l * v;
            case "/" -> l / nonZero(v);
            case "%" -> l % nonZero(v);
            case "<<" -> shiftCount(v, r) ? l << v : 0;
            case ">>" -> shiftCount(v, r) ? l >>> v : 0;
            case "|" -> l | v;
            case "&" -> l & v;
            case "^" -> l ^ v;
            case "!" -> l | ~v;
            case "+" -> l + v;
            case "-" -> l - v;
            case "==" -> truth(l == v);
            case "!=", "<>" -> truth(l != v);
            case "<" -> truth(l < v);
            case ">" -> truth(l > v);
            case "<=" -> truth(l <= v);
            case ">=" -> truth(l >= v);
            case "&&" -> l != 0 && v != 0 ? 1 : 0;
            case "||" -> l != 0 || v != 0 ? 1 : 0;
            default -> throw new IllegalArgumentException("binary operator " + op);
        };
    }

    /** gas warns about a shift count outside 0..63 (and shifts to 0). */
    private static boolean shiftCount(long count, SymbolResolver r) {
        if (count < 0 || count > 63) {
            r.warn("shift count out of range (" + count + " is not between 0 and 63)");
            return false;
        }
        return true;
    }

    /** gas folds {@code %reg == %reg} (and !=) to a constant; nothing else is defined on registers. */
    private static long registerComparison(String op, String l, String r) {
        return switch (op) {
            case "==" -> truth(l.equals(r));
            case "!=", "<>" -> truth(!l.equals(r));
            default -> throw new BadExpressionException(
                    "invalid operator " + op + " between registers %" + l + " and %" + r);
        };
    }

    private static long nonZero(long divisor) {
        if (divisor == 0) {
            // gas itself only warns and divides by 1; a hard error is kinder to the reader.
            throw new BadExpressionException(DIVISION_BY_ZERO);
        }
        return divisor;
    }

    private static long truth(boolean b) {
        return b ? -1 : 0;
    }
}
