package io.entrysim.exec;

import java.util.Locale;

/**
 * Why a run stopped: the one type from the executor to every front door. {@link #label()} is
 * the word users script against ({@code run}'s {@code stop:} line and JSON {@code "stop"}).
 */
public enum StopReason {
    /** {@code hlt} executed; RIP is the address after it. */
    HLT,
    /** A {@code ret} popped the entry frame (RSP equal to the RSP at run start): back to the caller. */
    RET,
    /** Execution ran past the last instruction (or fell through into an address with no code). */
    END,
    /** The step budget was used up. */
    MAX_STEPS,
    /** An instruction faulted (not committed, RIP at it), or control went to an address with no code. */
    FAULT,
    /**
     * A {@code sysret}/{@code iret} returned to CPL 3 at an address where the program has no
     * code: the kernel path is over. Events due at that boundary were delivered first.
     */
    RETURN_TO_USER,
    /**
     * A scenario's path returned to the kernel context it interrupted (an {@code iret} back to
     * CPL 0 at the interrupted instruction): the kernel path is over.
     */
    RETURN_TO_KERNEL,
    /**
     * CS is a 32-bit code segment ({@code sysretl}, or an {@code iret} to one): the next
     * instruction would run in compatibility mode, which entrysim does not model.
     */
    COMPAT_MODE,
    /**
     * A call reached a function the program does not define while {@code ExecOptions.stubCalls}
     * is STOP; the call committed (return address pushed), the stub did not run.
     */
    UNDEFINED_FUNCTION,
    /** A {@code run(until)} condition held before the next instruction (debuggers, sweeps). */
    UNTIL;

    private final String label = name().toLowerCase(Locale.ROOT).replace('_', '-');

    /** {@code hlt}, {@code ret}, {@code end}, {@code max-steps}, {@code fault}, {@code return-to-user}, ... */
    public String label() {
        return label;
    }

    /** The program got where it was meant to go: hlt, a ret from the entry frame, or the end of the code. */
    public boolean finishedNormally() {
        return this == HLT || this == RET || this == END;
    }
}
