package io.entrysim.cpu;

/**
 * The code and data segments a far return (IRET) may load, i.e. what the GDT holds. entrysim
 * has no GDT in memory; it uses the fixed layout of Linux's x86-64 GDT
 * (arch/x86/include/asm/segment.h), which is what every selector in entry code refers to.
 */
public final class Segments {
    private Segments() {}

    public enum Kind {
        /** A 64-bit code segment (L=1). */
        CODE64,
        /** A 32-bit code segment (L=0): returning to it enters compatibility mode. */
        CODE32,
        /** A writable data segment (usable as SS). */
        DATA,
        /** A null selector, a system descriptor or an empty GDT slot. */
        NONE
    }

    /** GDT index -> kind and DPL, for Linux's GDT_ENTRY_* numbers 0..15. */
    private static final Kind[] KINDS = {
        Kind.NONE,   // 0 null
        Kind.CODE32, // 1 KERNEL32_CS 0x08
        Kind.CODE64, // 2 KERNEL_CS 0x10
        Kind.DATA,   // 3 KERNEL_DS 0x18
        Kind.CODE32, // 4 DEFAULT_USER32_CS 0x23
        Kind.DATA,   // 5 DEFAULT_USER_DS 0x2b
        Kind.CODE64, // 6 DEFAULT_USER_CS 0x33
        Kind.NONE, Kind.NONE, Kind.NONE, Kind.NONE, Kind.NONE, // 7 unused, 8-9 TSS, 10-11 LDT
        Kind.DATA, Kind.DATA, Kind.DATA,                        // 12-14 TLS
        Kind.DATA};                                             // 15 CPUNODE
    private static final int[] DPLS = {0, 0, 0, 0, 3, 3, 3, 0, 0, 0, 0, 0, 3, 3, 3, 3};

    /** What a GDT selector (TI=0) refers to; LDT selectors and indices past the GDT are NONE. */
    public static Kind kind(int selector) {
        int index = (selector & 0xFFFF) >>> 3;
        if ((selector & 4) != 0 || index >= KINDS.length) {
            return Kind.NONE;
        }
        return KINDS[index];
    }

    /** The descriptor privilege level of the segment {@code selector} refers to. */
    public static int dpl(int selector) {
        int index = (selector & 0xFFFF) >>> 3;
        return index < DPLS.length ? DPLS[index] : 0;
    }

    /** A null selector: index 0 in the GDT (any RPL). */
    public static boolean isNull(int selector) {
        return (selector & 0xFFFC) == 0;
    }
}
