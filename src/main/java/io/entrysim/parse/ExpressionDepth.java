package io.entrysim.parse;

import io.entrysim.diag.AsmError;
import io.entrysim.diag.Origin;
import java.util.List;
import org.antlr.v4.runtime.Token;

/**
 * Bounds how deeply an expression nests before it is parsed. The parser, the tree builder and the
 * evaluator recurse once per open parenthesis, per unary operator waiting for its operand and per
 * binary operator waiting for a right operand of higher precedence ({@code 1||2&&3==4+(...)}),
 * so 2,000 nested {@code (} or 3,000 {@code -} would overflow the Java stack. gas recurses the
 * same way and crashes somewhere past ten thousand levels; entrysim stops at {@link #MAX_DEPTH}
 * levels with a located error, a bound that leaves most of a 1 MiB thread stack free. Long flat
 * chains ({@code 1+1+...+1}) do not nest and are not limited.
 */
final class ExpressionDepth {
    /** Levels of nesting (parentheses, unary operators, pending binary operators) at most. */
    static final int MAX_DEPTH = 256;

    private ExpressionDepth() {}

    /**
     * Follows the parser's recursion token by token: {@code (} opens a level; a prefix operator
     * (one where an operand is due) waits for its operand; a binary operator first completes the
     * pending ones of its level whose precedence is not lower (as precedence climbing returns from
     * them), then waits for its right operand.
     *
     * @throws AsmError at the token that goes past the bound
     */
    static void check(List<Token> tokens, Origin origin) {
        int[] unary = new int[16]; // prefix operators waiting, per parenthesis level
        int[] opsFrom = new int[16]; // where each level's binary operators start in ops
        int[] ops = new int[16]; // precedences of binary operators waiting for their right operand
        int opCount = 0;
        int level = 0;
        int unaryTotal = 0;
        boolean operandNext = true;
        for (Token t : tokens) {
            int type = t.getType();
            int prec = operandNext ? 0 : precedence(type);
            if (type == GasLexer.LPAREN) {
                if (++level == unary.length) {
                    unary = java.util.Arrays.copyOf(unary, level * 2);
                    opsFrom = java.util.Arrays.copyOf(opsFrom, level * 2);
                }
                unary[level] = 0;
                opsFrom[level] = opCount;
                operandNext = true;
            } else if (type == GasLexer.RPAREN) {
                if (level > 0) {
                    unaryTotal -= unary[level];
                    opCount = opsFrom[level];
                    level--;
                }
                operandNext = false;
            } else if (prec > 0) {
                unaryTotal -= unary[level];
                unary[level] = 0;
                while (opCount > opsFrom[level] && ops[opCount - 1] >= prec) {
                    opCount--;
                }
                if (opCount == ops.length) {
                    ops = java.util.Arrays.copyOf(ops, opCount * 2);
                }
                ops[opCount++] = prec;
                operandNext = true;
            } else if (operandNext && isPrefix(type)) {
                unary[level]++;
                unaryTotal++;
            } else if (isSeparator(type)) {
                unaryTotal -= unary[level];
                unary[level] = 0;
                opCount = opsFrom[level];
                operandNext = true;
            } else {
                operandNext = false;
            }
            if (level + unaryTotal + opCount > MAX_DEPTH) {
                throw new AsmError(origin.atColumn(origin.pos().column() + t.getCharPositionInLine()),
                        "expression too deep: more than " + MAX_DEPTH
                                + " levels of parentheses and operators waiting for an operand");
            }
        }
    }

    /** Binary precedence as the grammar ranks it (higher binds tighter), 0 for none. */
    private static int precedence(int type) {
        return switch (type) {
            case GasLexer.STAR, GasLexer.SLASH, GasLexer.PERCENT, GasLexer.SHL, GasLexer.SHR -> 6;
            case GasLexer.PIPE, GasLexer.AMP, GasLexer.CARET, GasLexer.BANG, GasLexer.BANGBANG -> 5;
            case GasLexer.PLUS, GasLexer.MINUS -> 4;
            case GasLexer.EQEQ, GasLexer.NE, GasLexer.LTGT, GasLexer.LT, GasLexer.GT, GasLexer.LE, GasLexer.GE -> 3;
            case GasLexer.ANDAND -> 2;
            case GasLexer.OROR -> 1;
            default -> 0;
        };
    }

    private static boolean isPrefix(int type) {
        return type == GasLexer.MINUS || type == GasLexer.PLUS || type == GasLexer.TILDE || type == GasLexer.BANG
                || type == GasLexer.BANGBANG;
    }

    /** Tokens that end an expression (between operands, arguments and statements). */
    private static boolean isSeparator(int type) {
        return type == GasLexer.COMMA || type == GasLexer.SEMI || type == GasLexer.COLON || type == GasLexer.DOLLAR
                || type == GasLexer.EQ;
    }
}
