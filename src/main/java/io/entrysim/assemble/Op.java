package io.entrysim.assemble;

/**
 * The operation of a decoded instruction. Mnemonic spelling, suffixes and aliases are resolved
 * away by the assembler (e.g. {@code movq}/{@code mov}/{@code movabs} -> MOV with a size;
 * {@code sal} -> SHL; {@code jnc}/{@code jae} -> JCC with a condition).
 */
public enum Op {
    MOV, MOVZX, MOVSX, LEA, XCHG, CMOVCC, SETCC,
    PUSH, POP, PUSHF, POPF, LEAVE,
    ADD, SUB, ADC, SBB, AND, OR, XOR, CMP, TEST, INC, DEC, NEG, NOT,
    SHL, SHR, SAR, ROL, ROR,
    BT, BTS, BTR, BTC,
    JMP, JCC, CALL, RET,
    NOP, HLT, UD2, SWAPGS,
    CLD, STD, CLC, STC, CMC,
    LFENCE, MFENCE, SFENCE, CLAC, STAC,
    // privileged machine and mode transitions
    CLI, STI, RDMSR, WRMSR, RDGSBASE, WRGSBASE, RDFSBASE, WRFSBASE, RDPID,
    SYSCALL, SYSRET, IRET, SYSENTER, SYSEXIT,
    // segment checks against the (fixed, Linux-layout) GDT: cpu.Segments
    VERW, LSL, LAR,
    /** A software interrupt: {@code int $n}, and {@code int3} as {@code int $3} (gas encodes both cc). */
    INT,
    /** {@code int1} (icebp, f1): #DB as a trap, with no gate DPL check (SDM INT n/INTO/INT3/INT1). */
    INT1,
    /**
     * A call target the program does not define (a C function such as {@code do_nmi}): the
     * assembler routes the call to a synthetic instruction naming it in {@link Insn#stubSymbol}
     * (displayed as {@code <stub NAME>}).
     * Executing it returns to the caller (see {@code ExecOptions.StubCalls}).
     */
    STUB
}
