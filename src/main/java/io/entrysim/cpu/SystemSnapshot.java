package io.entrysim.cpu;

/**
 * The system part of a {@link CpuSnapshot}: the MSR file, the TR base, the IDT (immutable,
 * shared), whether CS is a 32-bit (compatibility-mode) segment, and the interrupt event state.
 */
public record SystemSnapshot(long[] msrs, long trBase, Idt idt, boolean compatMode, EventState.Saved events) {
    public SystemSnapshot {
        msrs = msrs.clone();
    }

    @Override
    public long[] msrs() {
        return msrs.clone();
    }

    long[] msrsShared() {
        return msrs;
    }
}
