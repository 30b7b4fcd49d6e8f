package io.entrysim.cpu;

/**
 * Choices where real CPUs differ or the SDM leaves room. {@link #SDM} is the Intel SDM reading.
 *
 * @param noFlushBitWithoutPcideFaults {@code mov %reg,%cr3} with bit 63 set while CR4.PCIDE=0:
 *     true raises #GP(0) (SDM: bit 63 is reserved then); false ignores the bit (stored cleared)
 * @param physicalAddressBits MAXPHYADDR: CR3 bits 62:MAXPHYADDR are reserved (#GP(0) if set)
 */
public record CpuModel(boolean noFlushBitWithoutPcideFaults, int physicalAddressBits) {
    public static final CpuModel SDM = new CpuModel(true, 52);

    public CpuModel {
        if (physicalAddressBits < 32 || physicalAddressBits > 52) {
            throw new IllegalArgumentException("physicalAddressBits must be 32..52: " + physicalAddressBits);
        }
    }

    /** CR3 bits that must be 0 in a MOV to CR3 (bit 63 is handled separately). */
    public long cr3ReservedMask() {
        return ~(1L << 63) & -(1L << physicalAddressBits);
    }
}
