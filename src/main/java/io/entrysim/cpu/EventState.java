package io.entrysim.cpu;

/**
 * Interrupt-related CPU state that is not in a register: NMI blocking (SDM Vol. 3A, 6.7.1: set
 * when an NMI is delivered, cleared by the next IRET), the NMI latch (one NMI held while
 * blocked), the STI interrupt shadow, and the maskable interrupt requests not yet delivered
 * (like the local APIC's IRR, one bit per vector 32..255).
 */
public final class EventState {
    private boolean nmiBlocked;
    private boolean nmiPending;
    private boolean interruptShadow;
    private final long[] irr = new long[4];
    /** {@link #anyPending()}, kept up to date: the executor asks at every instruction boundary. */
    private boolean pending;

    /** A frozen copy for CPU snapshots. */
    public record Saved(boolean nmiBlocked, boolean nmiPending, boolean interruptShadow,
                        long irr0, long irr1, long irr2, long irr3) {}

    public boolean nmiBlocked() {
        return nmiBlocked;
    }

    public void setNmiBlocked(boolean blocked) {
        nmiBlocked = blocked;
    }

    public boolean nmiPending() {
        return nmiPending;
    }

    public void setNmiPending(boolean pending) {
        nmiPending = pending;
        refreshPending();
    }

    /** Blocking by STI: maskable interrupts wait until the instruction after STI completed. */
    public boolean interruptShadow() {
        return interruptShadow;
    }

    public void setInterruptShadow(boolean shadow) {
        interruptShadow = shadow;
    }

    public boolean interruptRequested(int vector) {
        return (irr[vector >>> 6] & (1L << vector)) != 0;
    }

    public void requestInterrupt(int vector) {
        if (vector < Vectors.FIRST_EXTERNAL || vector > 255) {
            throw new IllegalArgumentException("external interrupt vectors are 32..255: " + vector);
        }
        irr[vector >>> 6] |= 1L << vector;
        refreshPending();
    }

    public void clearInterrupt(int vector) {
        irr[vector >>> 6] &= ~(1L << vector);
        refreshPending();
    }

    /** The highest requested vector (the APIC delivers the highest priority first), or -1. */
    public int highestRequest() {
        for (int i = 3; i >= 0; i--) {
            if (irr[i] != 0) {
                return (i << 6) + 63 - Long.numberOfLeadingZeros(irr[i]);
            }
        }
        return -1;
    }

    /** True if an NMI or a maskable interrupt is waiting (delivered or not, depending on blocking). */
    public boolean anyPending() {
        return pending;
    }

    private void refreshPending() {
        pending = nmiPending || (irr[0] | irr[1] | irr[2] | irr[3]) != 0;
    }

    Saved save() {
        return new Saved(nmiBlocked, nmiPending, interruptShadow, irr[0], irr[1], irr[2], irr[3]);
    }

    void restore(Saved s) {
        nmiBlocked = s.nmiBlocked();
        nmiPending = s.nmiPending();
        interruptShadow = s.interruptShadow();
        irr[0] = s.irr0();
        irr[1] = s.irr1();
        irr[2] = s.irr2();
        irr[3] = s.irr3();
        refreshPending();
    }
}
