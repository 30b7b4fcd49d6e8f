package io.entrysim.parse;

import io.entrysim.macro.ConditionEvaluator;
import io.entrysim.diag.AsmError;
import io.entrysim.diag.Origin;
import java.util.function.Function;

/**
 * The macro stage's view of gas expressions: parse, then fold with only the absolute symbols
 * known so far. Anything else (labels, {@code .}, {@code 1f}, registers outside {@code ==}/{@code !=})
 * is "non-constant", as gas says for {@code .if}.
 */
public final class GasConditionEvaluator implements ConditionEvaluator {
    static final String NON_CONSTANT = "non-constant expression in \".if\" statement";

    @Override
    public long evaluate(String expression, Origin where, Function<String, Long> symbols) {
        Expr e = ExpressionParser.parse(expression, where);
        try {
            return ExprEvaluator.eval(e, new SymbolResolver() {
                @Override
                public Long symbol(String name) {
                    return symbols.apply(name);
                }

                @Override
                public Long localLabel(int label, boolean forward) {
                    return null;
                }

                @Override
                public long dot() {
                    throw new UnresolvedSymbolException(".");
                }
            });
        } catch (UnresolvedSymbolException unknown) {
            throw new AsmError(where, NON_CONSTANT);
        } catch (BadExpressionException bad) {
            // gas calls a register in arithmetic "non-constant" too; division by zero keeps its name.
            boolean divZero = bad.getMessage().equals(ExprEvaluator.DIVISION_BY_ZERO);
            throw new AsmError(where, divZero ? bad.getMessage() : NON_CONSTANT);
        }
    }
}
