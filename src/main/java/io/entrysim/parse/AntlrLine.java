package io.entrysim.parse;

import io.entrysim.diag.Origin;
import java.util.function.Function;
import org.antlr.v4.runtime.BailErrorStrategy;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.DefaultErrorStrategy;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.atn.PredictionMode;
import org.antlr.v4.runtime.misc.ParseCancellationException;

/**
 * One reusable lexer/parser pair (ANTLR's DFA caches are shared, but reuse also saves the
 * per-line allocation of the machinery). Two-stage parsing: fast SLL prediction that bails at
 * the first problem, then full LL with error reporting only for lines that need it. Not
 * thread-safe: one per thread.
 */
final class AntlrLine {
    private final GasLexer lexer = new GasLexer(null);
    private final CommonTokenStream tokens = new CommonTokenStream(lexer);
    private final GasParser parser = new GasParser(tokens);
    private final BailErrorStrategy bail = new BailErrorStrategy();
    private int llFallbacks;

    AntlrLine(boolean registerExpressions) {
        lexer.registerExpressions = registerExpressions;
        lexer.removeErrorListeners();
        parser.removeErrorListeners();
    }

    /**
     * Parses {@code text} with {@code rule}; a syntax error becomes an AsmError at its column, as
     * does nesting deeper than {@link ExpressionDepth#MAX_DEPTH}.
     */
    <T extends ParserRuleContext> T parse(String text, Origin origin, Function<GasParser, T> rule) {
        lexer.setInputStream(CharStreams.fromString(text));
        tokens.setTokenSource(lexer);
        tokens.fill();
        ExpressionDepth.check(tokens.getTokens(), origin);
        parser.setTokenStream(tokens);
        parser.removeErrorListeners();
        parser.setErrorHandler(bail);
        parser.getInterpreter().setPredictionMode(PredictionMode.SLL);
        try {
            return rule.apply(parser);
        } catch (ParseCancellationException sllFailed) {
            llFallbacks++;
            parser.reset();
            parser.getInterpreter().setPredictionMode(PredictionMode.LL);
            parser.setErrorHandler(new DefaultErrorStrategy());
            parser.addErrorListener(new SyntaxErrors(text, origin, tokens));
            return rule.apply(parser);
        }
    }

    /** How many lines needed the slow LL pass (only lines with errors should). */
    int llFallbacks() {
        return llFallbacks;
    }
}
