package io.entrysim.cpu;

/**
 * A 64-bit IDT gate (SDM Vol. 3A, 6.14.1): the handler's code address (the caller resolves
 * symbols), the code-segment selector, the IST index (0: no IST), interrupt or trap gate, and
 * the DPL (checked only for software interrupts: {@code int $n} above it is #GP(n * 8 + 2)).
 */
public record Gate(long handler, int selector, int ist, Type type, int dpl) {
    public enum Type {
        /** Clears RFLAGS.IF on delivery. */
        INTERRUPT,
        /** Leaves RFLAGS.IF as it was. */
        TRAP
    }

    public Gate {
        if (ist < 0 || ist > 7) {
            throw new IllegalArgumentException("IST index must be 0..7: " + ist);
        }
        if (dpl < 0 || dpl > 3) {
            throw new IllegalArgumentException("DPL must be 0..3: " + dpl);
        }
    }

    /** An interrupt gate to {@code handler} in the kernel code segment, DPL 0, no IST (Linux's default). */
    public static Gate interrupt(long handler) {
        return new Gate(handler, Cpu.KERNEL_CS, 0, Type.INTERRUPT, 0);
    }

    public static Gate trap(long handler) {
        return new Gate(handler, Cpu.KERNEL_CS, 0, Type.TRAP, 0);
    }

    public Gate withIst(int n) {
        return new Gate(handler, selector, n, type, dpl);
    }

    public Gate withDpl(int d) {
        return new Gate(handler, selector, ist, type, d);
    }
}
