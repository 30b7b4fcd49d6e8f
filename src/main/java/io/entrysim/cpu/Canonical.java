package io.entrysim.cpu;

/**
 * 48-bit canonical addresses (4-level paging): bits 63:47 all equal. A memory reference to a
 * non-canonical address raises #GP(0), or #SS(0) when it references the stack segment (SDM Vol. 1,
 * 3.3.7.1; Vol. 3, 6.15 "Interrupt 12" and "Interrupt 13").
 */
public final class Canonical {
    private Canonical() {}

    /** First address of the upper (kernel) canonical half. */
    public static final long UPPER_HALF = 0xffff_8000_0000_0000L;
    /** One past the last address of the lower (user) canonical half. */
    public static final long LOWER_HALF_END = 0x0000_8000_0000_0000L;

    public static boolean isCanonical(long address) {
        return (address << 16 >> 16) == address;
    }

    /** True if every byte of {@code [address, address+size)} is canonical. */
    public static boolean isCanonical(long address, int size) {
        return isCanonical(address) && isCanonical(address + size - 1);
    }

    /**
     * Faults a data reference that is not canonical: #SS(0) for a stack-segment reference (PUSH,
     * POP, CALL, RET, or a memory operand based on RSP/RBP), else #GP(0).
     */
    public static void check(long address, int size, boolean stackSegment) {
        if (!isCanonical(address, size)) {
            throw nonCanonical(address, size, stackSegment);
        }
    }

    public static CpuFault nonCanonical(long address, int size, boolean stackSegment) {
        long bad = isCanonical(address) ? address + size - 1 : address;
        String detail = (stackSegment ? "stack reference to" : "reference to") + " non-canonical address 0x"
            + Long.toHexString(bad) + " (bits 63:47 must all equal bit 47)";
        return stackSegment ? CpuFault.stackFault(0, detail) : CpuFault.generalProtection(0, detail);
    }
}
