package io.entrysim.parse;

import io.entrysim.diag.Origin;

/** {@code name:} — a symbol ("foo", ".Lend_12") or a numeric local label ("1"). */
public record LabelStmt(String name, Origin origin) implements Statement {
    /** True for gas numeric local labels, which are referenced as {@code 1f} / {@code 1b}. */
    public boolean isNumeric() {
        return !name.isEmpty() && Character.isDigit(name.charAt(0));
    }
}
