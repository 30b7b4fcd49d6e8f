package io.entrysim.cpu;

import java.util.Arrays;

/**
 * The 64-bit task-state segment's stack pointers (SDM Vol. 3A, 8.7 "Task Management in 64-bit
 * Mode"): RSP0-RSP2 for privilege changes and IST1-IST7. The TSS lives in memory at the CPU's
 * {@link Cpu#trBase() TR base}, as on hardware: event delivery reads RSP0/ISTn from there (a
 * supervisor read, access-checked), so kernel code that writes {@code cpu_tss_rw + TSS_sp0}
 * through {@code %gs} changes the stack the next interrupt uses. This record is an immutable
 * value for setting a TSS up ({@link #install}) and for showing one ({@link #read}).
 *
 * @param ist IST1..IST7 at indices 0..6
 */
public record Tss(long rsp0, long rsp1, long rsp2, long[] ist) {
    /** Byte offsets in the TSS (Linux's TSS_sp0 = 4, TSS_sp1 = 12, TSS_sp2 = 20, TSS_ist = 36). */
    public static final int RSP0_OFFSET = 4, IST_OFFSET = 36, SIZE = 104;

    public static final Tss EMPTY = new Tss(0, 0, 0, new long[7]);

    public Tss {
        if (ist.length != 7) {
            throw new IllegalArgumentException("a TSS has 7 IST entries, not " + ist.length);
        }
        ist = ist.clone();
    }

    @Override
    public long[] ist() {
        return ist.clone();
    }

    /** ISTn, n = 1..7. */
    public long ist(int n) {
        return ist[n - 1];
    }

    public Tss withRsp0(long rsp) {
        return new Tss(rsp, rsp1, rsp2, ist);
    }

    /** A copy with ISTn ({@code n} = 1..7) set. */
    public Tss withIst(int n, long rsp) {
        long[] copy = ist.clone();
        copy[n - 1] = rsp;
        return new Tss(rsp0, rsp1, rsp2, copy);
    }

    /** Offset of RSPn (n = 0..2). */
    public static int rspOffset(int n) {
        return RSP0_OFFSET + 8 * n;
    }

    /** Offset of ISTn (n = 1..7). */
    public static int istOffset(int n) {
        return IST_OFFSET + 8 * (n - 1);
    }

    /** Host-reads the TSS at {@code base} (unchecked). */
    public static Tss read(Memory memory, long base) {
        long[] ist = new long[7];
        for (int n = 1; n <= 7; n++) {
            ist[n - 1] = memory.peek(base + istOffset(n), 8);
        }
        return new Tss(memory.peek(base + rspOffset(0), 8), memory.peek(base + rspOffset(1), 8),
            memory.peek(base + rspOffset(2), 8), ist);
    }

    /** Host-writes this TSS's stack pointers at {@code base} (other bytes untouched). */
    public void store(Memory memory, long base) {
        memory.poke(base + rspOffset(0), 8, rsp0);
        memory.poke(base + rspOffset(1), 8, rsp1);
        memory.poke(base + rspOffset(2), 8, rsp2);
        for (int n = 1; n <= 7; n++) {
            memory.poke(base + istOffset(n), 8, ist[n - 1]);
        }
    }

    /** Stores this TSS at {@code base} and points the CPU's TR there (what {@code ltr} arranges). */
    public void install(Cpu cpu, long base) {
        store(cpu.memory(), base);
        cpu.setTrBase(base);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Tss t && t.rsp0 == rsp0 && t.rsp1 == rsp1 && t.rsp2 == rsp2 && Arrays.equals(t.ist, ist);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(rsp0) * 31 + Arrays.hashCode(ist);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Tss[rsp0=0x").append(Long.toHexString(rsp0));
        for (int n = 1; n <= 7; n++) {
            if (ist[n - 1] != 0) {
                sb.append(", ist").append(n).append("=0x").append(Long.toHexString(ist[n - 1]));
            }
        }
        return sb.append(']').toString();
    }
}
