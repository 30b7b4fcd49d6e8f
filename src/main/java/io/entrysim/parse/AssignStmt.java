package io.entrysim.parse;

import io.entrysim.diag.Origin;

/**
 * {@code sym = e}, {@code .set sym, e}, {@code .equ sym, e}, {@code .eqv sym, e} or, with
 * {@code equiv} set, {@code .equiv sym, e} or {@code sym == e} (which gas rejects if the symbol is
 * already defined). {@code .eqv} is taken as a plain assignment: entrysim does not model its
 * re-evaluation on each use.
 */
public record AssignStmt(String symbol, Expr value, boolean equiv, Origin origin) implements Statement {
    public AssignStmt(String symbol, Expr value, Origin origin) {
        this(symbol, value, false, origin);
    }
}
