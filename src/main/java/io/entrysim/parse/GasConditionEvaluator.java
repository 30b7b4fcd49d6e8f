package io.entrysim.parse;

import io.entrysim.macro.ConditionEvaluator;
import io.entrysim.diag.AsmError;
import io.entrysim.diag.AsmWarning;
import io.entrysim.diag.Origin;
import java.util.function.Function;

/**
 * The macro stage's view of gas expressions: parse, then fold with only the absolute symbols
 * known so far. Anything else (labels, {@code .}, {@code 1f}, registers outside {@code ==}/{@code !=})
 * is not absolute, reported in the words of the construct that asked.
 */
public final class GasConditionEvaluator implements ConditionEvaluator {
    private final java.util.List<AsmWarning> warnings = new java.util.ArrayList<>();

    /** gas's warnings while folding ({@code shift count out of range}), in the order they came. */
    public java.util.List<AsmWarning> warnings() {
        return java.util.Collections.unmodifiableList(warnings);
    }

    @Override
    public long evaluate(String expression, Origin where, Function<String, Long> symbols, String notAbsolute) {
        Expr e = ExpressionParser.parse(expression, where);
        SymbolResolver named = SymbolResolver.ofSymbols(symbols);
        SymbolResolver resolver = new SymbolResolver() {
            @Override
            public Long symbol(String name) {
                return named.symbol(name);
            }

            @Override
            public Long localLabel(int label, boolean forward) {
                return named.localLabel(label, forward);
            }

            @Override
            public long dot() {
                return named.dot();
            }

            @Override
            public void warn(String message) {
                warnings.add(new AsmWarning(where, message));
            }
        };
        try {
            return ExprEvaluator.eval(e, resolver);
        } catch (UnresolvedSymbolException unknown) {
            throw new AsmError(where, notAbsolute);
        } catch (BadExpressionException bad) {
            // gas calls a register in arithmetic not absolute too; division by zero keeps its name.
            boolean divZero = bad.getMessage().equals(ExprEvaluator.DIVISION_BY_ZERO);
            throw new AsmError(where, divZero ? bad.getMessage() : notAbsolute);
        }
    }
}
