package io.entrysim.parse;

/** A gas expression, unevaluated (symbols may be defined later in the file). */
public sealed interface Expr {
    record Num(long value) implements Expr {}

    record Sym(String name) implements Expr {}

    /** {@code 1f} (forward) or {@code 2b} (backward) reference to a numeric local label. */
    record LocalRef(int label, boolean forward) implements Expr {}

    /** {@code .}, the current location. */
    record Dot() implements Expr {}

    /** {@code op} is one of "-", "~", "!", "+". */
    record Unary(String op, Expr e) implements Expr {}

    /** {@code op} as written but without blanks, and binary {@code !!} (xor) as "^": "*", "/", "%", "<<", ">>", "|", "&", "^", "!", "+", "-", "==", "!=", "<>", "<", ">", "<=", ">=", "&&", "||". */
    record Binary(String op, Expr l, Expr r) implements Expr {}

    /** A register in a condition ({@code .if \base == %rsp}); lower-case, without '%'. */
    record RegRef(String name) implements Expr {}
}
