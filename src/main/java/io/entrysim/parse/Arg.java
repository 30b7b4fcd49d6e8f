package io.entrysim.parse;

/** One argument of a directive. */
public sealed interface Arg {
    /** An expression: numbers, symbols ({@code .entry.text} and {@code __jump_table} too). */
    record ExprArg(Expr e) implements Arg {}

    /** A string literal, unescaped as gas does (each char is one byte, 0..255). */
    record StringArg(String value) implements Arg {}

    /** A word that is not an expression: {@code @progbits}, {@code %progbits}; "" if omitted. */
    record WordArg(String text) implements Arg {}

    /**
     * The argument read as a name, as section names and {@code .type} kinds are: a bare symbol's
     * name, a string's value or a word's text; null for any other expression.
     */
    default String asName() {
        if (this instanceof ExprArg a && a.e() instanceof Expr.Sym s) {
            return s.name();
        }
        if (this instanceof StringArg s) {
            return s.value();
        }
        if (this instanceof WordArg w) {
            return w.text();
        }
        return null;
    }
}
