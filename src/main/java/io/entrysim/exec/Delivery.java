package io.entrysim.exec;

import io.entrysim.assemble.Insn;
import io.entrysim.cpu.CpuFault;
import io.entrysim.cpu.Vectors;

/**
 * One event delivered through the IDT (SDM Vol. 3A, 6.14 "Exception and Interrupt Handling in
 * 64-bit Mode"), as {@link StepListener#onDelivery} reports it.
 *
 * @param beforeStep the event was delivered at the boundary before this (1-based) step: the
 *     handler's first instruction runs as step {@code beforeStep}
 * @param vector the vector (2 = NMI)
 * @param cause why it was delivered
 * @param fault for FAULT and NESTED the exception's fault value (for a #DF, the fault that
 *     escalated to it); null otherwise
 * @param during for NESTED, the event whose delivery raised this one (e.g. "NMI"); else null
 * @param injectedAt for INJECTED, the step {@link Executor#injectAt} was given (smaller than
 *     {@code beforeStep} when the event was held, e.g. an NMI blocked until IRET); -1 for an
 *     event made pending directly in the CPU's {@code EventState}, and for other causes
 * @param interrupted the instruction at {@code savedRip} (the faulting one, or the one about to
 *     run), null if there is none
 * @param savedRip the RIP pushed in the frame
 * @param fromCpl the CPL the event interrupted
 * @param stack which stack the frame went on
 * @param ist the IST index for {@link Stack#IST}, else 0
 * @param stackTop RSP before the 16-byte alignment (from the TSS, or the interrupted RSP)
 * @param rsp RSP after the frame was pushed: the frame's address (error code or RIP at rsp)
 * @param hasErrorCode whether an error code was pushed
 * @param errorCode the error code (0 if none)
 * @param handler the handler's address (RIP after delivery)
 */
public record Delivery(long beforeStep, int vector, Cause cause, CpuFault fault, String during,
                       long injectedAt, Insn interrupted, long savedRip, int fromCpl, Stack stack, int ist,
                       long stackTop, long rsp, boolean hasErrorCode, long errorCode, long handler) {

    public enum Cause {
        /** An instruction faulted ({@code ExecOptions.Faults.DELIVER}). */
        FAULT,
        /** {@link Executor#injectAt} scheduled it. */
        INJECTED,
        /** Raised while delivering another event: handled serially, or escalated to #DF. */
        NESTED,
        /** An {@code int3} or {@code int $n} instruction: the saved RIP is the next instruction's. */
        SOFTWARE
    }

    /** The stack the frame was pushed on. */
    public enum Stack {
        /** The gate's IST entry in the TSS. */
        IST,
        /** TSS.RSP0: the event came from CPL 3 (no IST). */
        RSP0,
        /** No stack switch: the interrupted RSP. */
        CURRENT
    }

    /** {@code "#PF"}, {@code "NMI"}, {@code "vector 0x20"}. */
    public String name() {
        return Vectors.name(vector);
    }

    /** E.g. {@code NMI delivered before step 5 on the IST3 stack 0x...: frame at 0x..., handler 0x...}. */
    public String describe() {
        StringBuilder sb = new StringBuilder(name());
        if (hasErrorCode) {
            sb.append('(').append(errorCode < 10 ? Long.toString(errorCode) : "0x" + Long.toHexString(errorCode)).append(')');
        }
        sb.append(" delivered before step ").append(beforeStep);
        if (cause == Cause.INJECTED && injectedAt >= 0 && injectedAt != beforeStep) {
            sb.append(" (injected at step ").append(injectedAt).append(", held until then)");
        } else if (cause == Cause.INJECTED && injectedAt < 0) {
            sb.append(" (was pending)");
        }
        if (cause == Cause.SOFTWARE) {
            sb.append(" (software interrupt)");
        }
        if (cause == Cause.NESTED) {
            sb.append(" (raised while delivering ").append(during).append(')');
        }
        sb.append(switch (stack) {
            case IST -> " on the IST" + ist + " stack 0x" + Long.toHexString(stackTop);
            case RSP0 -> " on the TSS.sp0 stack 0x" + Long.toHexString(stackTop);
            case CURRENT -> " on the current stack";
        });
        sb.append(": frame at 0x").append(Long.toHexString(rsp)).append(", from CPL ").append(fromCpl)
            .append(" rip 0x").append(Long.toHexString(savedRip)).append(", handler 0x").append(Long.toHexString(handler));
        return sb.toString();
    }
}
