package io.entrysim.macro;

import io.entrysim.diag.Origin;
import java.util.function.Function;

/**
 * Evaluates the absolute expressions that conditional assembly needs while macros are being
 * expanded ({@code .if}, {@code .rept}, {@code .set} values, {@code .ifcpufeature}). Implemented by
 * the parse stage (which owns the expression grammar); the expander only passes text.
 */
public interface ConditionEvaluator {
    /** gas's words (read.c {@code get_absolute_expression}) for a count that is not absolute: {@code .rept}. */
    String NOT_ABSOLUTE = "bad or irreducible absolute expression";

    /** gas's words (cond.c) for a condition of {@code .if} (any of its family) or {@code .elseif} that is not absolute. */
    static String nonConstantIn(String directive) {
        return "non-constant expression in \"." + directive + "\" statement";
    }

    /**
     * @param expression  the expression text, e.g. {@code \def} after substitution ("1"),
     *     {@code ( 7*32+11)}, {@code %rsp == %rsp}
     * @param where       for diagnostics
     * @param symbols     the value of an absolute symbol known so far, or null when unknown
     * @param notAbsolute the message when the expression is valid but not absolute (it refers to
     *     a label, {@code .}, an unknown symbol or a register): each construct has gas's own words,
     *     {@link #NOT_ABSOLUTE} or {@link #nonConstantIn}
     * @return the value; comparisons yield -1 for true and 0 for false as in GNU as
     * @throws io.entrysim.diag.AsmError when the text is not a valid absolute expression
     */
    long evaluate(String expression, Origin where, Function<String, Long> symbols, String notAbsolute);
}
