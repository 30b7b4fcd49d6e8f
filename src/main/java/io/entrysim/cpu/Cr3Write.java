package io.entrysim.cpu;

/**
 * One successful {@code mov ..., %cr3}: the operand as written, whether it asked not to flush
 * (CR4.PCIDE=1 and bit 63 set: SDM Vol. 3, 4.10.4.1), and the value CR3 now holds (bit 63 clear).
 */
public record Cr3Write(long valueWritten, boolean noFlush, long stored) {
    /** The PCID selected by the stored value (meaningful with CR4.PCIDE=1). */
    public int pcid() {
        return (int) (stored & 0xFFF);
    }
}
