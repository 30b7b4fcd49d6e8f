package io.entrysim.parse;

import io.entrysim.diag.AsmError;
import io.entrysim.diag.Origin;
import java.util.List;
import org.antlr.v4.runtime.BaseErrorListener;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.Parser;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Recognizer;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.misc.IntervalSet;

/**
 * Turns the first ANTLR syntax error of a line into an {@link AsmError} worded the way gas words
 * the same mistake (e.g. "junk at end of line, first unrecognized character is `,'", "junk
 * `%rbx' after register", "unbalanced parenthesis in operand 2."), at the offending column.
 */
final class SyntaxErrors extends BaseErrorListener {
    private final String text;
    private final Origin origin;
    private final CommonTokenStream tokens;

    SyntaxErrors(String text, Origin origin, CommonTokenStream tokens) {
        this.text = text;
        this.origin = origin;
        this.tokens = tokens;
    }

    @Override
    public void syntaxError(Recognizer<?, ?> recognizer, Object offendingSymbol, int line,
                            int charPositionInLine, String msg, RecognitionException e) {
        Token bad = (Token) offendingSymbol;
        IntervalSet expected = expected((Parser) recognizer, e);
        tokens.fill();
        throw new AsmError(columnOf(bad), describe(bad, expected));
    }

    private static IntervalSet expected(Parser parser, RecognitionException e) {
        try {
            return e != null && e.getExpectedTokens() != null ? e.getExpectedTokens() : parser.getExpectedTokens();
        } catch (RuntimeException noState) {
            return new IntervalSet();
        }
    }

    private Origin columnOf(Token t) {
        return origin.atColumn(origin.pos().column() + t.getCharPositionInLine());
    }

    private String describe(Token bad, IntervalSet expected) {
        if (bad.getType() == GasLexer.UNTERMINATED_STRING) {
            return "missing end-quote";
        }
        List<Token> all = tokens.getTokens();
        int at = bad.getTokenIndex();
        int start = statementStart(all, at);
        int operands = operandStart(all, start);
        if (operands >= 0 && at >= operands) {
            return describeOperandError(all, operands, at, expected);
        }
        if (expected.contains(GasLexer.EOF) || expected.contains(GasLexer.SEMI)) {
            return junkAtEnd(bad);
        }
        if (expected.contains(GasLexer.DEC)) {
            return endsStatement(bad) ? "missing expression" : "bad expression";
        }
        if (expected.contains(GasLexer.RPAREN)) {
            return endsStatement(bad) ? "missing ')'" : "found `" + bad.getText() + "', expected: `)'";
        }
        return junkAtEnd(bad);
    }

    private String junkAtEnd(Token bad) {
        if (endsStatement(bad)) {
            return "syntax error: unexpected end of statement";
        }
        return "junk at end of line, first unrecognized character is `" + bad.getText().charAt(0) + "'";
    }

    private String describeOperandError(List<Token> all, int operands, int at, IntervalSet expected) {
        Token bad = all.get(at);
        int number = 1;
        int opStart = operands;
        int depth = 0;
        for (int i = operands; i < at; i++) {
            int type = all.get(i).getType();
            if (type == GasLexer.LPAREN) {
                depth++;
            } else if (type == GasLexer.RPAREN) {
                depth--;
            } else if (type == GasLexer.COMMA && depth <= 0) {
                number++;
                opStart = i + 1;
                depth = 0;
            }
        }
        int opEnd = operandEnd(all, opStart);
        if (at == opStart && (bad.getType() == GasLexer.COMMA || endsStatement(bad))) {
            boolean first = number == 1 && bad.getType() == GasLexer.COMMA;
            return "expecting operand " + (first ? "before" : "after") + " ','; got nothing";
        }
        if (!balanced(all, opStart, opEnd)) {
            return "unbalanced parenthesis in operand " + number + ".";
        }
        String rest = at < opEnd ? slice(bad, all.get(opEnd - 1)) : "";
        Token prev = all.get(at - 1);
        if (prev.getType() == GasLexer.DOLLAR) {
            return "missing or invalid immediate expression `" + rest + "'";
        }
        if (at - 2 >= 0 && prev.getType() == GasLexer.NAME && all.get(at - 2).getType() == GasLexer.PERCENT) {
            return "junk `" + rest + "' after register";
        }
        if (expected.contains(GasLexer.DEC) && !expected.contains(GasLexer.COMMA)) {
            return "bad expression";
        }
        return "junk `" + rest + "' after expression";
    }

    /** Index of the first token of the statement that holds token {@code at}. */
    private static int statementStart(List<Token> all, int at) {
        int i = Math.min(at, all.size() - 1);
        while (i > 0 && all.get(i - 1).getType() != GasLexer.SEMI) {
            i--;
        }
        return i;
    }

    /** Where the operands of the instruction starting at {@code start} begin, or -1 if not one. */
    private static int operandStart(List<Token> all, int start) {
        int i = start;
        while (i + 1 < all.size() && all.get(i + 1).getType() == GasLexer.COLON && isLabelName(all.get(i).getType())) {
            i += 2;
        }
        while (i < all.size() && all.get(i).getType() == GasLexer.PREFIX) {
            i++;
        }
        if (i >= all.size() || all.get(i).getType() != GasLexer.NAME) {
            return -1;
        }
        if (i + 1 < all.size() && (all.get(i + 1).getType() == GasLexer.EQ || all.get(i + 1).getType() == GasLexer.EQEQ)) {
            return -1;
        }
        return i + 1;
    }

    private static boolean isLabelName(int type) {
        return type == GasLexer.NAME || type == GasLexer.DOT_NAME || type == GasLexer.DEC || type == GasLexer.PREFIX;
    }

    /** Exclusive end of the operand starting at {@code from}: its top-level comma or the statement end. */
    private static int operandEnd(List<Token> all, int from) {
        int depth = 0;
        int i = from;
        for (; i < all.size(); i++) {
            Token t = all.get(i);
            if (endsStatement(t) || (t.getType() == GasLexer.COMMA && depth <= 0)) {
                break;
            }
            if (t.getType() == GasLexer.LPAREN) {
                depth++;
            } else if (t.getType() == GasLexer.RPAREN) {
                depth--;
            }
        }
        return Math.max(i, from + 1);
    }

    private static boolean balanced(List<Token> all, int from, int to) {
        int depth = 0;
        for (int i = from; i < to && i < all.size(); i++) {
            int type = all.get(i).getType();
            if (type == GasLexer.LPAREN) {
                depth++;
            } else if (type == GasLexer.RPAREN && --depth < 0) {
                return false;
            }
        }
        return depth == 0;
    }

    private static boolean endsStatement(Token t) {
        return t.getType() == Token.EOF || t.getType() == GasLexer.SEMI;
    }

    /** Source text from {@code first} through {@code last} (empty when first ends the statement). */
    private String slice(Token first, Token last) {
        if (endsStatement(first)) {
            return "";
        }
        int end = endsStatement(last) ? first.getStopIndex() : Math.max(last.getStopIndex(), first.getStopIndex());
        return text.substring(first.getStartIndex(), end + 1).strip();
    }
}
