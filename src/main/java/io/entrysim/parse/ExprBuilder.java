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
        return binary(ctx.op, ctx.expr(0), ctx.expr(1));
    }

    @Override
    public Expr visitBitwiseExpr(GasParser.BitwiseExprContext ctx) {
        return binary(ctx.op, ctx.expr(0), ctx.expr(1));
    }

    @Override
    public Expr visitAdditiveExpr(GasParser.AdditiveExprContext ctx) {
        return binary(ctx.op, ctx.expr(0), ctx.expr(1));
    }

    @Override
    public Expr visitComparisonExpr(GasParser.ComparisonExprContext ctx) {
        return binary(ctx.op, ctx.expr(0), ctx.expr(1));
    }

    @Override
    public Expr visitLogicalAndExpr(GasParser.LogicalAndExprContext ctx) {
        return binary(ctx.op, ctx.expr(0), ctx.expr(1));
    }

    @Override
    public Expr visitLogicalOrExpr(GasParser.LogicalOrExprContext ctx) {
        return binary(ctx.op, ctx.expr(0), ctx.expr(1));
    }

    private Expr binary(Token op, GasParser.ExprContext l, GasParser.ExprContext r) {
        String name = op.getType() == GasLexer.BANGBANG ? "^" : BLANKS.removeFrom(op.getText());
        return new Expr.Binary(name, l.accept(this), r.accept(this));
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
        if (digits.length() > 9) {
            throw new AsmError(at(t), "local label `" + digits + "' is out of range");
        }
        return new Expr.LocalRef(Integer.parseInt(digits), text.endsWith("f"));
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
