package io.entrysim.parse;

import com.google.common.base.CharMatcher;
import io.entrysim.diag.AsmError;
import io.entrysim.diag.Origin;
import io.entrysim.isa.RegisterNames;
import io.entrysim.macro.GasStrings;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.tree.ParseTree;
import org.antlr.v4.runtime.tree.TerminalNode;

/** Builds the statements of one line from its parse tree. */
final class StatementBuilder {
    private final String text;
    private final ExprBuilder exprs;

    StatementBuilder(String text, Origin origin) {
        this.text = text;
        this.exprs = new ExprBuilder(origin);
    }

    List<Statement> build(GasParser.LineContext line) {
        List<Statement> out = new ArrayList<>(2);
        for (GasParser.StatementContext st : line.statement()) {
            for (GasParser.LabelContext label : st.label()) {
                Token t = label.getStart();
                if (t.getType() == GasLexer.DEC && GasLiterals.localLabel(t.getText()) < 0) {
                    throw new AsmError(exprs.at(t), "local label too large"); // gas's words
                }
                out.add(new LabelStmt(t.getText(), exprs.at(t)));
            }
            if (st.body() != null) {
                out.add(body(st.body()));
            }
        }
        return out;
    }

    private Statement body(GasParser.BodyContext body) {
        Origin at = exprs.at(body.getStart());
        if (body instanceof GasParser.AssignBodyContext a) {
            boolean equiv = a.op.getType() == GasLexer.EQEQ;
            return new AssignStmt(a.symbolName().getText(), exprs.build(a.expr()), equiv, at);
        }
        if (body instanceof GasParser.DirectiveBodyContext d) {
            String name = d.DOT_NAME().getText().toLowerCase(Locale.ROOT);
            List<Arg> args = args(d.directiveArgs());
            return switch (name) {
                case ".set", ".equ", ".eqv" -> assignment(name, args, d, false, at);
                case ".equiv" -> assignment(name, args, d, true, at);
                default -> new DirectiveStmt(name, args, at);
            };
        }
        if (body instanceof GasParser.TypeBodyContext t) {
            String name = t.DOT_NAME().getText().toLowerCase(Locale.ROOT);
            if (!name.equals(".type")) {
                throw new AsmError(exprs.at(t.NAME().getSymbol()), "junk at end of line, first unrecognized character is `"
                        + t.NAME().getText().charAt(0) + "'");
            }
            return new DirectiveStmt(name, List.of(new Arg.WordArg(t.symbolName().getText()),
                    new Arg.WordArg(t.NAME().getText())), at);
        }
        if (body instanceof GasParser.InstructionBodyContext i) {
            List<String> prefixes = i.PREFIX().stream().map(StatementBuilder::lower).toList();
            List<OperandAst> operands = new ArrayList<>(2);
            if (i.operands() != null) {
                for (GasParser.OperandContext op : i.operands().operand()) {
                    operands.add(operand(op));
                }
            }
            return new InstructionStmt(prefixes, lower(i.NAME()), operands, sourceText(i), at);
        }
        GasParser.PrefixOnlyBodyContext p = (GasParser.PrefixOnlyBodyContext) body;
        List<String> words = p.PREFIX().stream().map(StatementBuilder::lower).toList();
        return new InstructionStmt(words.subList(0, words.size() - 1), words.get(words.size() - 1),
                List.of(), sourceText(p), at);
    }

    /** {@code .set sym, expr} and friends: gas wants a symbol name, a comma, an expression. */
    private Statement assignment(String directive, List<Arg> args, GasParser.DirectiveBodyContext d,
                                 boolean equiv, Origin at) {
        Token nameToken = d.directiveArgs().getStart();
        Origin argAt = nameToken.getType() == Token.EOF ? at : exprs.at(nameToken);
        if (args.isEmpty() || !(args.get(0) instanceof Arg.ExprArg first)
                || !(first.e() instanceof Expr.Sym || first.e() instanceof Expr.Dot)) {
            throw new AsmError(argAt, "expected symbol name");
        }
        String symbol = first.e() instanceof Expr.Sym s ? s.name() : ".";
        if (args.size() < 2) {
            throw new AsmError(argAt, "expected comma after \"" + symbol + "\"");
        }
        if (args.size() > 2 || !(args.get(1) instanceof Arg.ExprArg value)) {
            throw new AsmError(argAt, "bad expression in " + directive);
        }
        return new AssignStmt(symbol, value.e(), equiv, at);
    }

    private List<Arg> args(GasParser.DirectiveArgsContext ctx) {
        List<Arg> args = new ArrayList<>(4);
        boolean pending = true; // an argument slot is open and nothing filled it yet
        for (ParseTree child : ctx.children == null ? List.<ParseTree>of() : ctx.children) {
            if (child instanceof TerminalNode) { // a comma
                if (pending) {
                    args.add(new Arg.WordArg(""));
                }
                pending = true;
            } else {
                args.add(arg((GasParser.DirectiveArgContext) child));
                pending = false;
            }
        }
        if (pending && !args.isEmpty()) {
            args.add(new Arg.WordArg("")); // trailing comma: gas assumes an empty last argument
        }
        return args;
    }

    private Arg arg(GasParser.DirectiveArgContext ctx) {
        if (ctx instanceof GasParser.StringArgContext s) {
            return new Arg.StringArg(GasStrings.string(s.STRING().getText(), 0).value());
        }
        if (ctx instanceof GasParser.WordArgContext w) {
            return new Arg.WordArg(w.AT_WORD().getText());
        }
        if (ctx instanceof GasParser.PercentWordArgContext p) {
            return new Arg.WordArg(p.getText());
        }
        return new Arg.ExprArg(exprs.build(((GasParser.ExprArgContext) ctx).expr()));
    }

    private OperandAst operand(GasParser.OperandContext ctx) {
        int column = exprs.column(ctx.getStart());
        if (ctx instanceof GasParser.IndirectOperandContext i) {
            return new OperandAst.IndirectAst(operand(i.operand()), column);
        }
        if (ctx instanceof GasParser.ImmediateOperandContext i) {
            return new OperandAst.ImmAst(exprs.build(i.expr()), column);
        }
        if (ctx instanceof GasParser.RegisterOperandContext r) {
            return new OperandAst.RegAst(register(r.register()), column);
        }
        GasParser.MemoryOperandContext m = (GasParser.MemoryOperandContext) ctx;
        String segment = null;
        if (m.segment != null) {
            segment = register(m.segment);
            if (!RegisterNames.isSegment(segment)) {
                throw new AsmError(exprs.at(m.segment.getStart()), "`%" + segment + "' is not a valid segment register");
            }
        }
        if (m.memory() instanceof GasParser.AbsoluteMemoryContext a) {
            return new OperandAst.MemAst(segment, exprs.build(a.expr()), null, null, 1, column);
        }
        GasParser.BaseIndexMemoryContext b = (GasParser.BaseIndexMemoryContext) m.memory();
        Expr disp = b.expr() == null ? null : exprs.build(b.expr());
        GasParser.BaseIndexContext bi = b.baseIndex();
        String base = bi.base == null ? null : register(bi.base);
        String index = bi.index == null ? null : register(bi.index);
        int scale = bi.scale == null ? 1 : scale(bi.scale);
        return new OperandAst.MemAst(segment, disp, base, index, scale, column);
    }

    private int scale(GasParser.ExprContext ctx) {
        long value;
        try {
            value = ExprEvaluator.eval(exprs.build(ctx), NO_SYMBOLS);
        } catch (UnresolvedSymbolException | BadExpressionException e) {
            value = 0;
        }
        if (value != 1 && value != 2 && value != 4 && value != 8) {
            throw new AsmError(exprs.at(ctx.getStart()),
                    "expecting scale factor of 1, 2, 4, or 8: got `" + sourceText(ctx) + "'");
        }
        return (int) value;
    }

    private String register(GasParser.RegisterContext r) {
        return exprs.registerName(r.NAME().getText(), r.getStart());
    }

    private static String lower(TerminalNode n) {
        return n.getText().toLowerCase(Locale.ROOT);
    }

    /** The statement as written, whitespace runs collapsed to one space (for traces). */
    private String sourceText(org.antlr.v4.runtime.ParserRuleContext ctx) {
        String raw = text.substring(ctx.getStart().getStartIndex(), ctx.getStop().getStopIndex() + 1);
        return CharMatcher.whitespace().trimAndCollapseFrom(raw, ' ');
    }

    private static final SymbolResolver NO_SYMBOLS = SymbolResolver.ofSymbols(name -> null);
}
