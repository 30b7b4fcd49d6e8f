package io.entrysim.assemble;

/** Where the assembler put one output section: {@code [base, base+size)}, code or data. */
public record SectionExtent(String name, long base, long size, boolean code) {
    public boolean contains(long address) {
        return Long.compareUnsigned(address, base) >= 0 && Long.compareUnsigned(address - base, size) < 0;
    }
}
