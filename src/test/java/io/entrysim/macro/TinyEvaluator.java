package io.entrysim.macro;

import io.entrysim.diag.AsmError;
import io.entrysim.diag.Origin;
import java.util.function.Function;

/**
 * Test-only stand-in for the parse stage's evaluator: integers, symbols through the lookup,
 * {@code %reg} tokens (equal only to themselves), unary {@code - ~ !}, and gas's binary operator
 * precedence ({@code * / % << >>} over {@code | & ^} over {@code + - == != < > <= >=}, then
 * {@code &&}, {@code ||}); comparisons yield -1/0.
 */
final class TinyEvaluator implements ConditionEvaluator {
    private static final long REGISTER_BASE = 0x7e57_0000_0000_0000L;

    private String text;
    private int pos;
    private Origin where;
    private Function<String, Long> symbols;
    private String notAbsolute;

    @Override
    public long evaluate(String expression, Origin where, Function<String, Long> symbols, String notAbsolute) {
        this.notAbsolute = notAbsolute;
        this.text = expression;
        this.pos = 0;
        this.where = where;
        this.symbols = symbols;
        long value = logicalOr();
        skip();
        if (pos < text.length()) {
            throw new AsmError(where, "junk at end of line, first unrecognized character is `" + text.charAt(pos) + "'");
        }
        return value;
    }

    private void skip() {
        while (pos < text.length() && text.charAt(pos) == ' ') {
            pos++;
        }
    }

    private boolean eat(String op) {
        skip();
        if (text.startsWith(op, pos)) {
            pos += op.length();
            return true;
        }
        return false;
    }

    private long logicalOr() {
        long v = logicalAnd();
        while (eat("||")) {
            long r = logicalAnd();
            v = (v != 0 || r != 0) ? 1 : 0;
        }
        return v;
    }

    private long logicalAnd() {
        long v = additive();
        while (eat("&&")) {
            long r = additive();
            v = (v != 0 && r != 0) ? 1 : 0;
        }
        return v;
    }

    private long additive() {
        long v = bitwise();
        while (true) {
            if (eat("==")) {
                v = v == bitwise() ? -1 : 0;
            } else if (eat("!=") || eat("<>")) {
                v = v != bitwise() ? -1 : 0;
            } else if (eat("<=")) {
                v = v <= bitwise() ? -1 : 0;
            } else if (eat(">=")) {
                v = v >= bitwise() ? -1 : 0;
            } else if (!peek("<<") && eat("<")) {
                v = v < bitwise() ? -1 : 0;
            } else if (!peek(">>") && eat(">")) {
                v = v > bitwise() ? -1 : 0;
            } else if (eat("+")) {
                v = v + bitwise();
            } else if (eat("-")) {
                v = v - bitwise();
            } else {
                return v;
            }
        }
    }

    private boolean peek(String op) {
        skip();
        return text.startsWith(op, pos);
    }

    private long bitwise() {
        long v = multiplicative();
        while (true) {
            if (!peek("||") && eat("|")) {
                v |= multiplicative();
            } else if (!peek("&&") && eat("&")) {
                v &= multiplicative();
            } else if (eat("^")) {
                v ^= multiplicative();
            } else {
                return v;
            }
        }
    }

    private long multiplicative() {
        long v = unary();
        while (true) {
            if (eat("*")) {
                v *= unary();
            } else if (eat("/")) {
                long d = unary();
                if (d == 0) {
                    throw new AsmError(where, "division by zero");
                }
                v /= d;
            } else if (eat("<<")) {
                v <<= unary();
            } else if (eat(">>")) {
                v >>= unary();
            } else {
                return v;
            }
        }
    }

    private long unary() {
        if (eat("-")) {
            return -unary();
        }
        if (eat("~")) {
            return ~unary();
        }
        if (!peek("!=") && eat("!")) {
            return unary() == 0 ? 1 : 0;
        }
        if (eat("(")) {
            long v = logicalOr();
            if (!eat(")")) {
                throw new AsmError(where, "missing ')'");
            }
            return v;
        }
        skip();
        int start = pos;
        if (pos < text.length() && text.charAt(pos) == '%') {
            pos++;
            while (pos < text.length() && Character.isLetterOrDigit(text.charAt(pos))) {
                pos++;
            }
            return REGISTER_BASE + text.substring(start + 1, pos).hashCode();
        }
        if (pos < text.length() && Character.isDigit(text.charAt(pos))) {
            while (pos < text.length() && Character.isLetterOrDigit(text.charAt(pos))) {
                pos++;
            }
            String number = text.substring(start, pos).toLowerCase();
            try {
                return number.startsWith("0x") ? Long.parseLong(number.substring(2), 16) : Long.parseLong(number);
            } catch (NumberFormatException e) {
                throw new AsmError(where, "bad number `" + number + "'");
            }
        }
        while (pos < text.length() && GasText.isNamePart(text.charAt(pos))) {
            pos++;
        }
        if (start == pos) {
            throw new AsmError(where, "bad expression");
        }
        Long value = symbols.apply(text.substring(start, pos));
        if (value == null) {
            throw new AsmError(where, notAbsolute);
        }
        return value;
    }
}
