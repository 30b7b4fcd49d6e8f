package io.entrysim.parse;

/**
 * An instruction operand as written. Register names are lower-case without '%'. {@code column}
 * is the 1-based source column where the operand starts (for {@code Origin.atColumn}).
 */
public sealed interface OperandAst {
    int column();

    /** {@code %rax}, {@code %r8d}, {@code %ah}, {@code %cr3}, {@code %gs}, {@code %rip}. */
    record RegAst(String name, int column) implements OperandAst {}

    /** {@code $expr}. */
    record ImmAst(Expr value, int column) implements OperandAst {}

    /**
     * {@code seg:disp(base,index,scale)} with every part optional: {@code sym}, {@code sym+8},
     * {@code %gs:sym+22}, {@code 5*8(%rdx)}, {@code (,%rax,8)}, {@code sym(%rip)}. Absent parts are
     * null; {@code scale} is 1 when absent.
     */
    record MemAst(String segment, Expr disp, String base, String index, int scale, int column)
            implements OperandAst {}

    /** {@code *%rax}, {@code *8(%rsp)}, {@code *sym}: the target of an indirect jump or call. */
    record IndirectAst(OperandAst target, int column) implements OperandAst {}
}
