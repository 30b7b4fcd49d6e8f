package io.entrysim.cpu;

import java.util.OptionalLong;

/**
 * An architectural exception raised by an instruction (Intel SDM Vol. 3, 6.15). It is a value,
 * not a bug: no stack trace. The executor leaves the faulting instruction uncommitted with RIP at
 * it, as the SDM specifies for faults.
 */
public final class CpuFault extends RuntimeException {
    public static final int DE = 0, UD = 6, SS = 12, GP = 13, PF = 14;

    /** Page-fault error code bits (SDM Vol. 3, 4.7). */
    public static final int PF_PRESENT = 1, PF_WRITE = 2, PF_USER = 4, PF_FETCH = 16;

    private final String vector;
    private final int vectorNumber;
    private final long errorCode;
    private final boolean hasErrorCode;
    private final OptionalLong address;
    private final String detail;
    private final OptionalLong cr3;

    public CpuFault(String vector, int vectorNumber, long errorCode, boolean hasErrorCode,
                    OptionalLong address, String detail) {
        this(vector, vectorNumber, errorCode, hasErrorCode, address, detail, OptionalLong.empty());
    }

    public CpuFault(String vector, int vectorNumber, long errorCode, boolean hasErrorCode,
                    OptionalLong address, String detail, OptionalLong cr3) {
        super(summary(vector, errorCode, hasErrorCode, address, detail, cr3), null, false, false);
        this.vector = vector;
        this.vectorNumber = vectorNumber;
        this.errorCode = errorCode;
        this.hasErrorCode = hasErrorCode;
        this.address = address;
        this.detail = detail;
        this.cr3 = cr3;
    }

    /** The same fault recording the CR3 in force when it was raised (kept if already recorded). */
    public CpuFault withCr3(long cr3Value) {
        return cr3.isPresent() ? this
            : new CpuFault(vector, vectorNumber, errorCode, hasErrorCode, address, detail, OptionalLong.of(cr3Value));
    }

    public static CpuFault generalProtection(long errorCode, String detail) {
        return new CpuFault("#GP", GP, errorCode, true, OptionalLong.empty(), detail);
    }

    public static CpuFault invalidOpcode(String detail) {
        return new CpuFault("#UD", UD, 0, false, OptionalLong.empty(), detail);
    }

    public static CpuFault divideError(String detail) {
        return new CpuFault("#DE", DE, 0, false, OptionalLong.empty(), detail);
    }

    /** #SS: in 64-bit mode, a non-canonical stack reference (error code 0). */
    public static CpuFault stackFault(long errorCode, String detail) {
        return new CpuFault("#SS", SS, errorCode, true, OptionalLong.empty(), detail);
    }

    public static CpuFault pageFault(long address, int errorCode, String detail) {
        return new CpuFault("#PF", PF, errorCode, true, OptionalLong.of(address), detail);
    }

    /** Mnemonic such as {@code "#GP"}. */
    public String vector() {
        return vector;
    }

    public int vectorNumber() {
        return vectorNumber;
    }

    public long errorCode() {
        return errorCode;
    }

    public boolean hasErrorCode() {
        return hasErrorCode;
    }

    /** The linear address that caused a #PF (what CR2 receives). */
    public OptionalLong address() {
        return address;
    }

    /**
     * The CR3 in force when the fault was raised (which page tables, which PCID), recorded by
     * the executor for every fault it reports; empty for a fault not raised through it.
     */
    public OptionalLong cr3() {
        return cr3;
    }

    /** Why, in words, e.g. "mov to %cr3 with bit 63 set while CR4.PCIDE=0". */
    public String detail() {
        return detail;
    }

    /**
     * The fault as every front door writes it: {@code #PF(0x10) address 0x... cr3 0x...: detail}.
     * The error code is decimal below 10 and hex above, as the SDM writes {@code #GP(0)} and
     * Linux prints page-fault codes.
     */
    public String summary() {
        return getMessage();
    }

    private static String summary(String vector, long errorCode, boolean hasErrorCode,
                                  OptionalLong address, String detail, OptionalLong cr3) {
        StringBuilder sb = new StringBuilder(vector);
        if (hasErrorCode) {
            sb.append('(').append(errorCode < 10 ? Long.toString(errorCode) : "0x" + Long.toHexString(errorCode)).append(')');
        }
        address.ifPresent(a -> sb.append(" address 0x").append(Long.toHexString(a)));
        cr3.ifPresent(c -> sb.append(" cr3 0x").append(Long.toHexString(c)));
        if (detail != null && !detail.isEmpty()) {
            sb.append(": ").append(detail);
        }
        return sb.toString();
    }
}
