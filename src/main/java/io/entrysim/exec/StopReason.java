package io.entrysim.exec;

/** Why a run stopped. */
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
    FAULT
}
