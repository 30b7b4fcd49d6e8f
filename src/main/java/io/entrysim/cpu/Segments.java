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

    /**
     * The descriptor flags of each GDT slot as LAR/LSL/VERW see them (the access byte in bits 7:0,
     * AVL/L/D/G in 15:12, as Linux's GDT_ENTRY_INIT takes them); 0 for a slot entrysim treats as
     * empty. The TLS slots (12-14) are empty, as in a task that never called set_thread_area; the
     * TSS and LDT descriptors (8-11) are not modelled and count as empty too. CPUNODE (15) is the
     * read-only, expand-down, byte-granular data segment whose limit holds the CPU and node number.
     */
    private static final int[] FLAGS = {
        0, 0xc09b, 0xa09b, 0xc093, 0xc0fb, 0xc0f3, 0xa0fb, 0, 0, 0, 0, 0, 0, 0, 0, 0x40f5};
    /** GDT_ENTRY_CPUNODE's selector with RPL 3 (__CPUNODE_SEG). */
    public static final int CPUNODE_SEG = 15 * 8 + 3;

    /**
     * Whether LAR and LSL accept {@code selector} at {@code cpl}: a present code or data descriptor
     * in the GDT (entrysim has no LDT) whose DPL is at least the CPL and the selector's RPL
     * (every code segment in the table is non-conforming, so the check applies to all).
     */
    public static boolean visible(int selector, int cpl) {
        int f = flags(selector);
        if ((f & 0x80) == 0 || (f & 0x10) == 0) {
            return false;
        }
        int dpl = (f >>> 5) & 3;
        return dpl >= cpl && dpl >= (selector & 3);
    }

    /** VERW: visible, and a data segment with its writable bit. */
    public static boolean writable(int selector, int cpl) {
        int f = flags(selector);
        return visible(selector, cpl) && (f & 0x08) == 0 && (f & 0x02) != 0;
    }

    /**
     * MOV to SS (64-bit mode), non-null selector: a present writable data segment with RPL = DPL =
     * CPL (a null one is the caller's rule).
     */
    public static boolean loadableStack(int selector, int cpl) {
        int f = flags(selector);
        return (f & 0x80) != 0 && (f & 0x18) == 0x10 && (f & 0x02) != 0 && ((f >>> 5) & 3) == cpl
            && (selector & 3) == cpl;
    }

    /**
     * MOV to DS/ES, non-null selector: a present data or readable code segment; unless conforming
     * code, DPL >= CPL and DPL >= RPL.
     */
    public static boolean loadableData(int selector, int cpl) {
        int f = flags(selector);
        if ((f & 0x80) == 0 || (f & 0x10) == 0) {
            return false;
        }
        boolean code = (f & 0x08) != 0;
        if (code && (f & 0x02) == 0) {
            return false;
        }
        int dpl = (f >>> 5) & 3;
        return (code && (f & 0x04) != 0) || (dpl >= cpl && dpl >= (selector & 3));
    }

    /** LAR: the descriptor's second dword masked with 00F0FF00H (the caller masks for 16 bits). */
    public static long accessRights(int selector) {
        return (long) (flags(selector) & 0xf0ff) << 8;
    }

    /**
     * LSL: the byte limit, scaled by G. Linux's flat segments have limit 0xfffff with G=1, so
     * 0xffffffff; CPUNODE's is {@code cpuNode} (node << 12 | cpu, 20 bits, G=0), the value Linux
     * also writes to IA32_TSC_AUX.
     */
    public static long limit(int selector, long cpuNode) {
        int f = flags(selector);
        if (((selector & 0xFFFF) >>> 3) == 15 && (selector & 4) == 0) {
            return cpuNode & 0xFFFFF;
        }
        return (f & 0x8000) != 0 ? 0xFFFF_FFFFL : 0xFFFFF;
    }

    private static int flags(int selector) {
        int index = (selector & 0xFFFF) >>> 3;
        return (selector & 4) != 0 || index >= FLAGS.length ? 0 : FLAGS[index];
    }

    /** A null selector: index 0 in the GDT (any RPL). */
    public static boolean isNull(int selector) {
        return (selector & 0xFFFC) == 0;
    }
}
