package io.entrysim.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.entrysim.assemble.Op;
import io.entrysim.assemble.Program;
import io.entrysim.cpu.Cpu;
import io.entrysim.cpu.Flags;
import io.entrysim.cpu.Reg;

/** Shared test plumbing: a CPU with a stack, one-instruction runs, readable flag assertions. */
final class Fixture {
    static final long STACK_TOP = 0x7FFF_F000L;

    private Fixture() {}

    static Cpu cpu() {
        Cpu cpu = new Cpu();
        cpu.setReg(Reg.RSP, STACK_TOP);
        return cpu;
    }

    static RunResult run(Cpu cpu, TestAsm asm) {
        return run(cpu, asm, 1_000);
    }

    static RunResult run(Cpu cpu, TestAsm asm, long maxSteps) {
        Program p = asm.build();
        return new Executor(p, cpu).run(0, maxSteps);
    }

    /** Runs a program expected to execute to its end without faulting. */
    static void runToEnd(Cpu cpu, TestAsm asm) {
        RunResult r = run(cpu, asm);
        assertEquals(StopReason.END, r.stop(), () -> "stop: " + r);
    }

    /** {@code op %rcx, %rax} at {@code size} with RAX = dst, RCX = src, RFLAGS = flagsIn. */
    static Cpu binary(Op op, int size, long dst, long src, long flagsIn) {
        Cpu cpu = cpu();
        cpu.setReg(Reg.RAX, dst);
        cpu.setReg(Reg.RCX, src);
        cpu.setRflags(flagsIn);
        runToEnd(cpu, new TestAsm().op(op, size, TestAsm.reg(Reg.RCX, size), TestAsm.reg(Reg.RAX, size)));
        return cpu;
    }

    /** {@code op %rax} at {@code size}. */
    static Cpu unary(Op op, int size, long dst, long flagsIn) {
        Cpu cpu = cpu();
        cpu.setReg(Reg.RAX, dst);
        cpu.setRflags(flagsIn);
        runToEnd(cpu, new TestAsm().op(op, size, TestAsm.reg(Reg.RAX, size)));
        return cpu;
    }

    static long mask(int size) {
        return size == 8 ? -1L : (1L << (8 * size)) - 1;
    }

    /** Compares the six status flags by name, so a failure reads "CF ZF" vs "ZF". */
    static void assertStatus(long expected, long rflags, String context) {
        assertEquals(Flags.names(expected & Flags.STATUS), Flags.names(rflags & Flags.STATUS), context);
    }

    static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }

    /** Edge values at each operand size: 0, 1, 2, 0xF, 0x10, max positive, min negative, -1, patterns. */
    static long[] edges(int size) {
        long m = mask(size);
        long sign = 1L << (8 * size - 1);
        return new long[] {0, 1, 2, 0xF, 0x10, sign - 1, sign, sign + 1, m - 1, m,
            0x5555_5555_5555_5555L & m, 0xAAAA_AAAA_AAAA_AAAAL & m};
    }

    static final int[] SIZES = {1, 2, 4, 8};
}
