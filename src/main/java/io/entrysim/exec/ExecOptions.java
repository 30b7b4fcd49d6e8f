package io.entrysim.exec;

/**
 * Executor options.
 *
 * @param strictFlags report instructions that read a flag the SDM calls undefined at that point
 *     (Jcc, SETcc, CMOVcc, ADC, SBB, CMC, PUSHF); see {@link UndefinedFlags}
 * @param faults what an instruction's fault does: stop the run (the default) or be delivered
 *     through the IDT like on hardware; see {@link Faults}
 * @param stubCalls what a call to a function the program does not define does; see {@link StubCalls}
 */
public record ExecOptions(boolean strictFlags, Faults faults, StubCalls stubCalls) {
    public static final ExecOptions DEFAULT = new ExecOptions(false);
    public static final ExecOptions STRICT_FLAGS = new ExecOptions(true);

    /** What happens when an instruction faults. */
    public enum Faults {
        /** The run stops with {@link StopReason#FAULT}; the instruction is not committed. */
        STOP,
        /**
         * The exception is delivered through the IDT (SDM Vol. 3A, 6.14) and the run goes on in
         * the handler. A vector with no IDT gate still stops the run as {@link #STOP} does.
         */
        DELIVER
    }

    /** What an {@code Op.STUB} (a call to a symbol the program does not define) does. */
    public enum StubCalls {
        /** Returns at once, like a function whose body is {@code ret}. */
        RETURN,
        /**
         * Returns at once, having clobbered what the SysV ABI lets a C function clobber: RAX RCX
         * RDX RSI RDI R8-R11 get {@code 0xdead00000000 | regnum} and the status flags become
         * undefined ({@code --strict-flags} reports a read of them).
         */
        CLOBBER,
        /** The run stops at the stub with {@link StopReason#UNDEFINED_FUNCTION}. */
        STOP
    }

    public ExecOptions {
        if (faults == null || stubCalls == null) {
            throw new IllegalArgumentException("faults and stubCalls must not be null");
        }
    }

    public ExecOptions(boolean strictFlags) {
        this(strictFlags, Faults.STOP, StubCalls.RETURN);
    }

    public ExecOptions withStrictFlags(boolean strict) {
        return new ExecOptions(strict, faults, stubCalls);
    }

    public ExecOptions withFaults(Faults f) {
        return new ExecOptions(strictFlags, f, stubCalls);
    }

    public ExecOptions withStubCalls(StubCalls s) {
        return new ExecOptions(strictFlags, faults, s);
    }
}
