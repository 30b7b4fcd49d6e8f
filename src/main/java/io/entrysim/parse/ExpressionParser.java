package io.entrysim.parse;

import io.entrysim.diag.AsmError;
import io.entrysim.diag.Origin;

/**
 * Parses a standalone gas expression such as a {@code .if} condition. Register references are
 * allowed ({@code \base == %rsp} after substitution); after an operand '%' is the modulo operator.
 */
public final class ExpressionParser {
    private static final ThreadLocal<AntlrLine> PARSER = ThreadLocal.withInitial(() -> new AntlrLine(true));

    private ExpressionParser() {}

    /** @throws AsmError on a syntax error, at its column relative to {@code where} */
    public static Expr parse(String text, Origin where) {
        GasParser.ConditionContext tree = PARSER.get().parse(text, where, GasParser::condition);
        return new ExprBuilder(where).build(tree.expr());
    }
}
