package io.entrysim.parse;

import io.entrysim.diag.Origin;
import io.entrysim.source.SourceLine;
import io.entrysim.diag.SourcePos;
import java.util.List;

/** Test helpers: parse one line as if it were line 7 of t.S, starting at column 1. */
final class Lines {
    private Lines() {}

    static final Origin ORIGIN = Origin.at(new SourcePos("t.S", 7, 1));
    private static final StatementParser PARSER = new StatementParser();

    static List<Statement> parse(String text) {
        return PARSER.parse(new SourceLine(text, ORIGIN));
    }

    static Statement single(String text) {
        List<Statement> st = parse(text);
        if (st.size() != 1) {
            throw new AssertionError("expected one statement from " + text + ": " + st);
        }
        return st.get(0);
    }

    static InstructionStmt insn(String text) {
        return (InstructionStmt) single(text);
    }

    static DirectiveStmt directive(String text) {
        return (DirectiveStmt) single(text);
    }

    /** The operands of {@code insn OPERANDS} (mnemonic "insn"). */
    static List<OperandAst> operands(String operands) {
        return insn("insn " + operands).operands();
    }

    static OperandAst operand(String operand) {
        List<OperandAst> ops = operands(operand);
        if (ops.size() != 1) {
            throw new AssertionError("expected one operand: " + ops);
        }
        return ops.get(0);
    }

    static Expr expr(String text) {
        return ExpressionParser.parse(text, ORIGIN);
    }

    static Expr sym(String name) {
        return new Expr.Sym(name);
    }

    static Expr num(long v) {
        return new Expr.Num(v);
    }

    static Expr bin(String op, Expr l, Expr r) {
        return new Expr.Binary(op, l, r);
    }

    /** Evaluates constant expressions (no symbols). */
    static long value(String text) {
        return ExprEvaluator.eval(expr(text), new MapResolver(java.util.Map.of()));
    }
}
