package io.entrysim.parse;

import com.google.common.base.CharMatcher;
import io.entrysim.diag.AsmError;
import io.entrysim.diag.Origin;
import io.entrysim.isa.RegisterNames;
import io.entrysim.macro.GasStrings;
import java.util.Locale;
import org.antlr.v4.runtime.Token;

/** Builds {@link Expr} trees from the expression part of the parse tree. */
final class ExprBuilder extends GasBaseVisitor<Expr> {
    private static final CharMatcher BLANKS = CharMatcher.whitespace();
    private final Origin origin;

    ExprBuilder(Origin origin) {
        this.origin = origin;
    }

    /** The line origin moved to the column of {@code t}. */
    Origin at(Token t) {
        return origin.atColumn(column(t));
    }

    int column(Token t) {
        return origin.pos().column() + t.getCharPositionInLine();
    }

    Expr build(GasParser.ExprContext ctx) {
        return ctx.accept(this);
    }

    @Override
    public Expr visitUnaryExpr(GasParser.UnaryExprContext ctx) {
        return ctx.unary().accept(this);
    }

    @Override
    public Expr visitMultiplicativeExpr(GasParser.MultiplicativeExprContext ctx) {
        return binaryChain(ctx);
    }

    @Override
    public Expr visitBitwiseExpr(GasParser.BitwiseExprContext ctx) {
        return binaryChain(ctx);
    }

    @Override
    public Expr visitAdditiveExpr(GasParser.AdditiveExprContext ctx) {
        return binaryChain(ctx);
    }

    @Override
    public Expr visitComparisonExpr(GasParser.ComparisonExprContext ctx) {
        return binaryChain(ctx);
    }

    @Override
    public Expr visitLogicalAndExpr(GasParser.LogicalAndExprContext ctx) {
        return binaryChain(ctx);
    }

    @Override
    public Expr visitLogicalOrExpr(GasParser.LogicalOrExprContext ctx) {
        return binaryChain(ctx);
    }

    private static boolean isBinary(GasParser.ExprContext ctx) {
        return !(ctx instanceof GasParser.UnaryExprContext);
    }

    /**
     * A left-associative chain such as {@code 1+1+...+1} is a parse tree as deep as it is long:
     * its left spine is walked in a loop, so a long flat expression (gas takes thousands of terms)
     * needs no deep recursion. Only nesting (parentheses, unary operators) recurses, and
     * {@link ExpressionDepth} bounds that before the parse.
     */
    private Expr binaryChain(GasParser.ExprContext top) {
        java.util.ArrayDeque<GasParser.ExprContext> spine = new java.util.ArrayDeque<>();
        GasParser.ExprContext c = top;
        while (isBinary(c)) {
            spine.push(c);
            c = c.getRuleContext(GasParser.ExprContext.class, 0);
        }
        Expr acc = c.accept(this);
        while (!spine.isEmpty()) {
            GasParser.ExprContext b = spine.pop();
            Token op = ((org.antlr.v4.runtime.tree.TerminalNode) b.getChild(1)).getSymbol();
            String name = op.getType() == GasLexer.BANGBANG ? "^" : BLANKS.removeFrom(op.getText());
            acc = new Expr.Binary(name, acc, b.getRuleContext(GasParser.ExprContext.class, 1).accept(this));
        }
        return acc;
    }

    @Override
    public Expr visitPrefixUnary(GasParser.PrefixUnaryContext ctx) {
        Expr operand = ctx.unary().accept(this);
        if (ctx.op.getType() == GasLexer.BANGBANG) {
            return new Expr.Unary("!", new Expr.Unary("!", operand));
        }
        return new Expr.Unary(ctx.op.getText(), operand);
    }

    @Override
    public Expr visitPrimaryUnary(GasParser.PrimaryUnaryContext ctx) {
        return ctx.primary().accept(this);
    }

    @Override
    public Expr visitParenPrimary(GasParser.ParenPrimaryContext ctx) {
        return ctx.expr().accept(this);
    }

    @Override
    public Expr visitNumberPrimary(GasParser.NumberPrimaryContext ctx) {
        Token t = ctx.getStart();
        String text = t.getText();
        if (t.getType() == GasLexer.DEC) {
            int bad = GasLiterals.badOctalDigit(text);
            if (bad >= 0) {
                // gas reads the octal digits and then trips over the rest.
                throw new AsmError(origin.atColumn(column(t) + bad),
                        "junk at end of line, first unrecognized character is `" + text.charAt(bad) + "'");
            }
        }
        return new Expr.Num(GasLiterals.number(text));
    }

    @Override
    public Expr visitCharPrimary(GasParser.CharPrimaryContext ctx) {
        return new Expr.Num(GasStrings.character(ctx.getStart().getText()));
    }

    @Override
    public Expr visitLocalRefPrimary(GasParser.LocalRefPrimaryContext ctx) {
        Token t = ctx.getStart();
        String text = t.getText();
        String digits = text.substring(0, text.length() - 1);
        int label = GasLiterals.localLabel(digits);
        if (label < 0) {
            throw new AsmError(at(t), "local label `" + digits + "' is out of range");
        }
        return new Expr.LocalRef(label, text.endsWith("f"));
    }

    @Override
    public Expr visitSymbolPrimary(GasParser.SymbolPrimaryContext ctx) {
        String name = ctx.getText();
        return name.equals(".") ? new Expr.Dot() : new Expr.Sym(name);
    }

    @Override
    public Expr visitRegisterPrimary(GasParser.RegisterPrimaryContext ctx) {
        Token t = ctx.getStart();
        return new Expr.RegRef(registerName(t.getText().substring(1), t));
    }

    /** Lower-cases and checks a register name written after '%'. */
    String registerName(String written, Token at) {
        String name = written.toLowerCase(Locale.ROOT);
        if (!RegisterNames.isRegister(name)) {
            throw new AsmError(at(at), "bad register name `%" + written + "'");
        }
        return name;
    }
}
